package inventory

import "strings"

// Item is a product in stock.
type Item struct {
	Name  string
	Count int
}

// Normalize cleans an item's name.
func Normalize(name string) string {
	return strings.ToLower(strings.TrimSpace(name))
}

// NewItem makes an item with a clean name.
func NewItem(name string, count int) *Item {
	return &Item{Name: Normalize(name), Count: count}
}

// Take removes n from stock.
func (i *Item) Take(n int) error {
	if err := check(i.Count, n); err != nil {
		return err
	}
	i.Count -= n
	return nil
}

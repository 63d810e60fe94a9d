package inventory

// Store keeps items by name.
type Store struct {
	items map[string]*Item
}

// NewStore makes an empty store.
func NewStore() *Store {
	return &Store{items: map[string]*Item{}}
}

func (s *Store) Add(name string, count int) {
	item := NewItem(name, count)
	s.items[item.Name] = item
}

func (s *Store) Take(name string, n int) error {
	var item *Item = s.items[Normalize(name)]
	if item == nil {
		return s.missing(name)
	}
	return item.Take(n)
}

func (s *Store) Size() int {
	return len(s.items)
}

func (s *Store) missing(name string) error {
	return check(0, 1)
}

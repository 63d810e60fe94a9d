package report

import (
	"fmt"

	"example.com/shop/inventory"
)

// Print writes one line about the store.
func Print(s *inventory.Store) {
	fmt.Println(format(s), s.Size())
}

func format(s *inventory.Store) string {
	return fmt.Sprintf("%v", s)
}

// Normalize has the same name as inventory.Normalize.
func Normalize(s string) string {
	return s
}

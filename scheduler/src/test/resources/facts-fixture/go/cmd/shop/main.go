package main

import (
	"fmt"
	"os"

	inv "example.com/shop/inventory"
	"example.com/shop/report"
)

func main() {
	store := inv.NewStore()
	store.Add(inv.Normalize(" Apple "), 3)
	if err := store.Take("apple", 1); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	report.Print(store)
}

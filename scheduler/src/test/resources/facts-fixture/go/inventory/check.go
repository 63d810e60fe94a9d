package inventory

import "fmt"

func check(have, want int) error {
	if want > have {
		return fmt.Errorf("only %d left", have)
	}
	return nil
}

package users

import "strings"

// User is a person with an email.
type User struct {
	Email string
}

// Validator checks things.
type Validator interface {
	Validate() error
}

type ID int

// NewUser makes a user.
func NewUser(email string) *User {
	return &User{Email: email}
}

// SetEmail sets the email.
func (u *User) SetEmail(email string) {
	u.Email = strings.TrimSpace(email)
}

func (u User) Domain() string {
	return strings.Split(u.Email, "@")[1]
}

type Stack[T any] struct {
	items []T
}

func (s *Stack[T]) Push(v T) {
	s.items = append(s.items, v)
}

func (o Other) Orphan() {}

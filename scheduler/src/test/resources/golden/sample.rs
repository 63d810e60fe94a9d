use std::fmt;

/// A user with an email.
#[derive(Debug, Clone)]
pub struct User {
    email: String,
}

pub enum Role {
    Admin,
    Guest,
}

pub trait Greeter {
    fn greet(&self) -> String;

    /// Default farewell.
    fn farewell(&self) -> String {
        String::from("bye")
    }
}

impl User {
    /// Makes a user.
    pub fn new(email: &str) -> Self {
        User { email: email.to_string() }
    }

    pub fn email(&self) -> &str {
        &self.email
    }
}

impl fmt::Display for User {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self.email)
    }
}

// Adds numbers.
fn add(a: i32, b: i32) -> i32 {
    fn inner(x: i32) -> i32 {
        x
    }
    inner(a) + b
}

mod tests {
    fn test_add() {
        assert_eq!(super::add(1, 2), 3);
    }
}

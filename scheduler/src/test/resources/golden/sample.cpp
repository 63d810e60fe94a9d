#include <string>

namespace app {

/// A user.
class User {
 public:
  explicit User(std::string email) : email_(std::move(email)) {}

  const std::string& email() const { return email_; }

  void setEmail(const std::string& e);

  ~User() {}

 private:
  std::string email_;
};

struct Point {
  int x;
  int y;
  int sum() const { return x + y; }
};

// Sets the email.
void User::setEmail(const std::string& e) {
  email_ = e;
}

template <typename T>
T twice(T v) {
  return v + v;
}

template <typename T>
class Box {
  T value;

 public:
  T get() const { return value; }
};

}  // namespace app

int main() {
  return 0;
}

# Helpers for users.
module Accounts
  # A user with an email.
  class User < Base
    def initialize(email)
      @email = email
    end

    # Returns the domain.
    def domain
      @email.split("@").last
    end

    def self.build(email)
      new(email)
    end

    class << self
      def registry
        @registry ||= []
      end
    end
  end
end

class Accounts::Admin
  def promote!
    true
  end
end

def top_level(x)
  x * 2
end

using System;

namespace App
{
    /// <summary>A user.</summary>
    public class User
    {
        private string email;

        public User(string email)
        {
            this.email = email;
        }

        /// <summary>Sets the email.</summary>
        public void SetEmail(string value)
        {
            int Local(int x) { return x; }
            email = value;
        }

        public string Email => email;
    }

    public interface IGreeter
    {
        string Greet();
    }

    public struct Point
    {
        public int X;

        public int Sum() { return X; }
    }

    public enum Color { Red, Green }

    public record Person(string Name)
    {
        public string Hello() => "hi " + Name;
    }
}

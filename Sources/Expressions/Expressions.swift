// The Expressions module; see README.md for its role.

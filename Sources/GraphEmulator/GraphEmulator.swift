// The GraphEmulator module; see README.md for its role.

// The GraphSync module; see README.md for its role.

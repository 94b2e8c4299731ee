// The Provisioning module; see README.md for its role.

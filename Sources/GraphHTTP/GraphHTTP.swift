// The GraphHTTP module; see README.md for its role.
import CCurl

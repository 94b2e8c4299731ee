// The declaration in include/ is all this module provides; libFuzzer (-sanitize=fuzzer) defines the function.
#include "CFuzzerDriver.h"

#ifndef SCATTERGATHER_CPRIMESIEVE_SHIM_H
#define SCATTERGATHER_CPRIMESIEVE_SHIM_H

// Kim Walisch's primesieve (Debian's libprimesieve-dev): a segmented sieve of Eratosthenes, the fastest prime
// counter for ranges of this size. Only the `primes` kernel calls it.
#include <primesieve.h>

#endif

#ifndef SCATTERGATHER_CMALLOC_SHIM_H
#define SCATTERGATHER_CMALLOC_SHIM_H

// glibc's malloc tuning (mallopt), which Swift's Glibc module does not export. Only CommandSupport's
// keepFrameMemory() uses it, once at each role's start.
#include <malloc.h>

#endif

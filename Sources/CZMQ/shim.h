#ifndef SCATTERGATHER_CZMQ_SHIM_H
#define SCATTERGATHER_CZMQ_SHIM_H

#include <zmq.h>

// libzmq defines its own errno values as expressions Swift cannot import.
static const int CZMQ_ETERM = ETERM;
static const int CZMQ_EFSM = EFSM;
static const int CZMQ_ENOTSOCK = ENOTSOCK;
static const int CZMQ_EMTHREAD = EMTHREAD;
static const int CZMQ_ENOCOMPATPROTO = ENOCOMPATPROTO;

#endif

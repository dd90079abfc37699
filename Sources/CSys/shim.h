#ifndef CSYS_SHIM_H
#define CSYS_SHIM_H
// Linux interfaces that Swift's Glibc module does not export.
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#endif
#endif

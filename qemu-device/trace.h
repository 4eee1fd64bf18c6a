#include "trace/trace-hw_vfpga.h"

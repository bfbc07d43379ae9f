// bnnc HLS template library: every engine template.
#ifndef BNNC_H
#define BNNC_H

#include "bnnc/types.h"
#include "bnnc/stream_io.h"
#include "bnnc/dwc.h"
#include "bnnc/mvtu.h"
#include "bnnc/swu.h"
#include "bnnc/pool.h"
#include "bnnc/threshold.h"
#include "bnnc/label_select.h"
#include "bnnc/vvtu.h"

#endif  // BNNC_H

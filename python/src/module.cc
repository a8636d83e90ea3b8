// SPDX-License-Identifier: Apache-2.0
// cairn._core: the extension module the Python package imports.
#include <nanobind/nanobind.h>

#include "bindings.h"
#include "status_error.h"

NB_MODULE(_core, module) {
  module.doc() = "cairn's C++ core; use the cairn package, not this module.";
  cairn::python::RegisterStatusTranslator();
  cairn::python::BindRecords(module);
  cairn::python::BindSession(module);
}

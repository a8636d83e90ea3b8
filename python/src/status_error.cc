// SPDX-License-Identifier: Apache-2.0
#include "status_error.h"

#include <Python.h>

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

namespace cairn::python {

namespace nb = nanobind;

void ThrowIfError(const Status& status) {
  if (!status.ok()) {
    throw StatusError(status);
  }
}

void RegisterStatusTranslator() {
  nb::register_exception_translator([](const std::exception_ptr& thrown, void*) {
    try {
      std::rethrow_exception(thrown);
    } catch (const StatusError& error) {
      // The table from code to class lives in one place, cairn/errors.py.
      try {
        nb::object errors = nb::module_::import_("cairn.errors");
        nb::object exception = errors.attr("from_status")(
            std::string(StatusCodeName(error.status().code())), error.status().message());
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())),
                        exception.ptr());
      } catch (nb::python_error& import_failed) {
        import_failed.restore();
      }
    }
  });
}

}  // namespace cairn::python

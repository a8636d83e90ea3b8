// SPDX-License-Identifier: Apache-2.0
#include "cli/commands/commands.h"

namespace cairn::cli {

CLI::Option* OneValueEach(CLI::Option* option) {
  // A vector option otherwise keeps taking words and eats a "--" that ends them.
  return option->expected(1)->allow_extra_args(false)->take_all();
}

}  // namespace cairn::cli

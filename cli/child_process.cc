// SPDX-License-Identifier: Apache-2.0
#include "cli/child_process.h"

#include <fcntl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

extern char** environ;  // NOLINT(readability-redundant-declaration): POSIX global

namespace cairn::cli {
namespace {

std::vector<std::string> ChildEnvironment(
    const std::vector<std::pair<std::string, std::string>>& extra_env) {
  std::vector<std::string> entries;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    bool replaced = false;
    for (const auto& [name, value] : extra_env) {
      replaced = replaced || (text.starts_with(name) && text.size() > name.size() &&
                              text[name.size()] == '=');
    }
    if (!replaced) {
      entries.emplace_back(text);
    }
  }
  for (const auto& [name, value] : extra_env) {
    std::string entry = name;
    entry += '=';
    entry += value;
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  pointers.reserve(strings.size() + 1);
  for (std::string& text : strings) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

// Only async-signal-safe calls between fork and exec: the parent may have threads.
[[noreturn]] void ExecChild(char* const* argv, char* const* envp, int error_pipe) {
  signal(SIGINT, SIG_DFL);
  signal(SIGQUIT, SIG_DFL);
  execvpe(argv[0], argv, envp);
  const int error = errno;
  (void)!write(error_pipe, &error, sizeof(error));
  _exit(127);
}

Status ExecError(const std::string& command, int error) {
  const std::string reason = std::strerror(error);  // NOLINT(concurrency-mt-unsafe)
  if (error == ENOENT) {
    return NotFoundError("cannot run '" + command + "': " + reason +
                         "; check the command name and PATH");
  }
  if (error == EACCES || error == EPERM) {
    return PermissionDeniedError("cannot run '" + command + "': " + reason +
                                 "; make it executable");
  }
  return InternalError("cannot run '" + command + "': " + reason);
}

}  // namespace

Result<int> RunChildProcess(
    const std::vector<std::string>& argv,
    const std::vector<std::pair<std::string, std::string>>& extra_env) {
  std::vector<std::string> args = argv;
  std::vector<std::string> env = ChildEnvironment(extra_env);
  std::vector<char*> arg_pointers = Pointers(args);
  std::vector<char*> env_pointers = Pointers(env);

  // The child reports a failed exec through a close-on-exec pipe: a successful
  // exec closes it unwritten, so the parent reads end-of-file.
  int error_pipe[2];
  if (pipe2(error_pipe, O_CLOEXEC) != 0) {
    return InternalError(std::string("pipe failed: ") +
                         std::strerror(errno));  // NOLINT(concurrency-mt-unsafe)
  }
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction old_int = {};
  struct sigaction old_quit = {};
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);

  const pid_t pid = fork();
  if (pid == 0) {
    close(error_pipe[0]);
    ExecChild(arg_pointers.data(), env_pointers.data(), error_pipe[1]);
  }
  const int fork_error = errno;
  close(error_pipe[1]);

  int exec_error = 0;
  bool exec_failed = false;
  if (pid > 0) {
    ssize_t got = 0;
    do {
      got = read(error_pipe[0], &exec_error, sizeof(exec_error));
    } while (got < 0 && errno == EINTR);
    exec_failed = got == static_cast<ssize_t>(sizeof(exec_error));
  }
  close(error_pipe[0]);

  int wait_status = 0;
  if (pid > 0) {
    while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR) {
    }
  }
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);

  if (pid < 0) {
    return InternalError(std::string("fork failed: ") +
                         std::strerror(fork_error));  // NOLINT(concurrency-mt-unsafe)
  }
  if (exec_failed) {
    return ExecError(argv.front(), exec_error);
  }
  if (WIFSIGNALED(wait_status)) {
    return 128 + WTERMSIG(wait_status);
  }
  return WEXITSTATUS(wait_status);
}

}  // namespace cairn::cli

// SPDX-License-Identifier: Apache-2.0
// ScriptedHttpServer: a small HTTP/1.1 server on 127.0.0.1 for tests. A handler
// decides every answer, so a test can answer 503 then 200, cut a body short, send
// a wrong Content-Range or hang, and then inspect what the client sent.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cairn/net/http_message.h"

namespace cairn::net::testing {

/// One request as the server read it.
struct ReceivedRequest {
  std::string method;
  std::string target;  // path and query as sent
  Headers headers;
  std::string body;
  int connection = 0;  // 1-based number of the connection it came on
};

/// What the server answers.
struct ScriptedResponse {
  int status = 200;
  Headers headers;  // Content-Length is added from `body`
  std::string body;
  // Send only this many body bytes (Content-Length still announces the whole body),
  // then close the connection.
  std::optional<std::size_t> truncate_after;
  // Close the connection after this answer instead of keeping it alive.
  bool close_connection = false;
  // Answer nothing and hold the connection until the client gives up.
  bool hang = false;
};

/// Called on the connection's thread for every request; `index` counts requests
/// from 0 across all connections. May be called concurrently.
using Handler =
    std::function<ScriptedResponse(const ReceivedRequest& request, int index)>;

/// Listens on 127.0.0.1 at a free port from construction until destruction.
/// Every socket wait is bounded (a stuck client is dropped after 30 s), and the
/// destructor stops and joins all threads.
class ScriptedHttpServer {
 public:
  explicit ScriptedHttpServer(Handler handler);
  ~ScriptedHttpServer();
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  int Port() const { return port_; }
  /// "http://127.0.0.1:PORT" followed by `path_and_query` (which starts with '/').
  std::string Url(const std::string& path_and_query) const;

  /// Requests received so far, in arrival order.
  std::vector<ReceivedRequest> Requests() const;
  /// Connections accepted so far.
  int Connections() const { return connections_.load(); }

 private:
  void AcceptLoop();
  void Serve(int fd, int connection);

  Handler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> request_count_{0};
  std::thread accept_thread_;

  mutable std::mutex mutex_;  // guards the members below
  std::vector<ReceivedRequest> requests_;
  std::vector<std::thread> connection_threads_;
};

}  // namespace cairn::net::testing

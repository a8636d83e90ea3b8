// SPDX-License-Identifier: Apache-2.0
#include "cairn/net/testing/scripted_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <string_view>

#include "cairn/base/result.h"

namespace cairn::net::testing {
namespace {

constexpr int kPollSliceMs = 50;
constexpr auto kIdleLimit = std::chrono::seconds(30);

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 206:
      return "Partial Content";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) {
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

}  // namespace

ScriptedHttpServer::ScriptedHttpServer(Handler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  CAIRN_CHECK(listen_fd_ >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  CAIRN_CHECK(
      ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);
  CAIRN_CHECK(::listen(listen_fd_, 64) == 0);
  socklen_t size = sizeof(address);
  CAIRN_CHECK(::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &size) ==
              0);
  port_ = ntohs(address.sin_port);
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

ScriptedHttpServer::~ScriptedHttpServer() {
  stopping_ = true;
  accept_thread_.join();
  ::close(listen_fd_);
  std::vector<std::thread> threads;
  {
    const std::lock_guard lock(mutex_);
    threads.swap(connection_threads_);
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

std::string ScriptedHttpServer::Url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

std::vector<ReceivedRequest> ScriptedHttpServer::Requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

void ScriptedHttpServer::AcceptLoop() {
  while (!stopping_) {
    pollfd waiting{.fd = listen_fd_, .events = POLLIN, .revents = 0};
    if (::poll(&waiting, 1, kPollSliceMs) <= 0) {
      continue;
    }
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    const int connection = ++connections_;
    const std::lock_guard lock(mutex_);
    connection_threads_.emplace_back([this, fd, connection] { Serve(fd, connection); });
  }
}

void ScriptedHttpServer::Serve(int fd, int connection) {
  std::string buffer;
  auto last_activity = std::chrono::steady_clock::now();
  // Reads more bytes into `buffer`; false when the peer left, the server stops or
  // the connection sat idle too long.
  auto read_more = [&]() {
    while (!stopping_ && std::chrono::steady_clock::now() - last_activity < kIdleLimit) {
      pollfd waiting{.fd = fd, .events = POLLIN, .revents = 0};
      if (::poll(&waiting, 1, kPollSliceMs) <= 0) {
        continue;
      }
      char chunk[16384];
      const ssize_t got = ::recv(fd, chunk, sizeof(chunk), 0);
      if (got <= 0) {
        return false;
      }
      buffer.append(chunk, static_cast<std::size_t>(got));
      last_activity = std::chrono::steady_clock::now();
      return true;
    }
    return false;
  };

  bool open = true;
  while (open) {
    std::size_t header_end = std::string::npos;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more()) {
        ::close(fd);
        return;
      }
    }
    ReceivedRequest request;
    request.connection = connection;
    std::string_view head = std::string_view(buffer).substr(0, header_end);
    const std::string_view request_line = head.substr(0, head.find("\r\n"));
    request.method = std::string(request_line.substr(0, request_line.find(' ')));
    const std::size_t target_start = request.method.size() + 1;
    request.target = std::string(
        request_line.substr(target_start, request_line.rfind(' ') - target_start));
    std::size_t content_length = 0;
    for (std::size_t at = head.find("\r\n"); at != std::string_view::npos;) {
      const std::size_t next = head.find("\r\n", at + 2);
      const std::string_view line = head.substr(at + 2, next - at - 2);
      at = next;
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) {
        continue;
      }
      request.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                   std::string(Trim(line.substr(colon + 1))));
      if (FindHeader({request.headers.back()}, "Content-Length").has_value()) {
        content_length = std::stoul(request.headers.back().second);
      }
    }
    buffer.erase(0, header_end + 4);
    while (buffer.size() < content_length) {
      if (!read_more()) {
        ::close(fd);
        return;
      }
    }
    request.body = buffer.substr(0, content_length);
    buffer.erase(0, content_length);
    {
      const std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }

    const ScriptedResponse response = handler_(request, request_count_++);
    if (response.hang) {
      // Hold the connection without answering until the client leaves.
      while (read_more()) {
      }
      break;
    }
    std::string text = "HTTP/1.1 " + std::to_string(response.status) + " " +
                       Reason(response.status) + "\r\n";
    for (const auto& [name, value] : response.headers) {
      text.append(name).append(": ").append(value).append("\r\n");
    }
    text += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    if (response.close_connection || response.truncate_after.has_value()) {
      text += "Connection: close\r\n";
    }
    text += "\r\n";
    if (request.method != "HEAD") {
      text += response.body.substr(
          0, std::min(response.body.size(),
                      response.truncate_after.value_or(response.body.size())));
    }
    open = SendAll(fd, text) && !response.close_connection &&
           !response.truncate_after.has_value();
  }
  ::close(fd);
}

}  // namespace cairn::net::testing

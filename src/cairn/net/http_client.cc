// SPDX-License-Identifier: Apache-2.0
#include "cairn/net/http_client.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>

#include "cairn/base/log.h"
#include "cairn/base/redact.h"

namespace cairn::net {
namespace {

using Clock = std::chrono::steady_clock;
// libcurl's numeric options take a C long.
using CurlLong = long;  // NOLINT(google-runtime-int)

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { CAIRN_CHECK(curl_global_init(CURL_GLOBAL_DEFAULT) == 0); });
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0) {
    text.remove_suffix(1);
  }
  return text;
}

std::optional<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The first byte of a "Content-Range: bytes FIRST-LAST/TOTAL" header.
std::optional<std::int64_t> ContentRangeStart(const Headers& headers) {
  const std::optional<std::string> value = FindHeader(headers, "Content-Range");
  if (!value.has_value() || value->rfind("bytes ", 0) != 0) {
    return std::nullopt;
  }
  const std::string_view range = std::string_view(*value).substr(6);
  return ParseInt(range.substr(0, range.find('-')));
}

std::string RangeHeaderValue(const ByteRange& range) {
  std::string value = "bytes=" + std::to_string(range.offset) + "-";
  if (range.length >= 0) {
    value += std::to_string(range.offset + range.length - 1);
  }
  return value;
}

double RandomUnit() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// The state one attempt shares with libcurl's callbacks.
struct Attempt {
  BodySink* sink = nullptr;
  std::size_t max_error_body_bytes = 0;
  // When set, a 2xx body must be a 206 starting at this byte of the resource.
  std::optional<std::int64_t> expected_range_start;
  bool range_requested = false;

  int status = 0;
  Headers headers;
  std::string body;
  std::int64_t* delivered = nullptr;  // body bytes the sink accepted, all attempts
  bool checked_body_start = false;
  Status stop;  // a sink error or a bad resume; ends the request unretried
};

bool IsSuccess(int status) {
  return status >= 200 && status < 300;
}

// Rejects a body that would not continue where the previous attempt stopped, before
// a byte of it reaches the sink.
Status CheckBodyStart(const Attempt& attempt) {
  if (!attempt.range_requested || !IsSuccess(attempt.status)) {
    return Status::Ok();
  }
  const std::int64_t wanted = attempt.expected_range_start.value_or(0);
  if (attempt.status != 206) {
    return DataLossError("asked for bytes from " + std::to_string(wanted) +
                         " but the server answered " + std::to_string(attempt.status) +
                         " with the whole body (it ignores Range)");
  }
  const std::optional<std::int64_t> start = ContentRangeStart(attempt.headers);
  if (start != wanted) {
    return DataLossError("asked for bytes from " + std::to_string(wanted) +
                         " but the server sent Content-Range '" +
                         FindHeader(attempt.headers, "Content-Range").value_or("") + "'");
  }
  return Status::Ok();
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) {
  auto& attempt = *static_cast<Attempt*>(user);
  const std::string_view line = Trim(std::string_view(data, size * count));
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after 100 Continue, for instance) starts a new header set.
    attempt.headers.clear();
    const auto space = line.find(' ');
    const std::string_view code =
        space == std::string_view::npos ? "" : line.substr(space + 1, 3);
    attempt.status = static_cast<int>(ParseInt(code).value_or(0));
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    attempt.headers.emplace_back(std::string(Trim(line.substr(0, colon))),
                                 std::string(Trim(line.substr(colon + 1))));
  }
  return size * count;
}

std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) {
  auto& attempt = *static_cast<Attempt*>(user);
  const std::string_view bytes(data, size * count);
  if (!attempt.checked_body_start) {
    attempt.checked_body_start = true;
    attempt.stop = CheckBodyStart(attempt);
  }
  if (!attempt.stop.ok()) {
    return 0;
  }
  if (attempt.sink == nullptr || !IsSuccess(attempt.status)) {
    if (attempt.sink != nullptr) {
      const std::size_t room = attempt.max_error_body_bytes - attempt.body.size();
      attempt.body.append(bytes.substr(0, std::min(room, bytes.size())));
    } else {
      attempt.body.append(bytes);
      *attempt.delivered += static_cast<std::int64_t>(bytes.size());
    }
    return bytes.size();
  }
  attempt.stop = attempt.sink->Write(bytes);
  if (!attempt.stop.ok()) {
    return 0;
  }
  *attempt.delivered += static_cast<std::int64_t>(bytes.size());
  return bytes.size();
}

bool IsPermanentCurlError(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_NOT_BUILT_IN:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return true;
    default:
      return false;
  }
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(Slist& list, const std::string& line) {
  curl_slist* grown = curl_slist_append(list.get(), line.c_str());
  CAIRN_CHECK(grown != nullptr);
  static_cast<void>(list.release());
  list.reset(grown);
}

Slist BuildHeaderList(const Request& request) {
  Slist list;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is libcurl's spelling of a header with an empty value.
    std::string line = name;
    line += value.empty() ? ";" : ": ";
    line += value;
    Append(list, line);
  }
  const bool has_body =
      !request.body.empty() || request.method == "PUT" || request.method == "POST";
  if (has_body && !FindHeader(request.headers, "Content-Type").has_value()) {
    Append(list, "Content-Type: application/octet-stream");
  }
  // No "Expect: 100-continue" round trip before bodies.
  Append(list, "Expect:");
  return list;
}

}  // namespace

std::optional<std::string> FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      return value;
    }
  }
  return std::nullopt;
}

class HttpClient::Impl {
 public:
  explicit Impl(const HttpClientOptions& options) : options_(options) {
    GlobalInit();
    share_ = curl_share_init();
    CAIRN_CHECK(share_ != nullptr);
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &Impl::LockShare);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &Impl::UnlockShare);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~Impl() {
    for (CURL* handle : idle_) {
      curl_easy_cleanup(handle);
    }
    curl_share_cleanup(share_);
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Result<Response> Perform(const Request& request, BodySink* sink);

 private:
  struct Outcome {
    CURLcode code = CURLE_OK;
    std::string curl_error;
    Attempt attempt;
  };

  static void LockShare(CURL* /*handle*/, curl_lock_data data,
                        curl_lock_access /*access*/, void* user) {
    static_cast<Impl*>(user)->share_mutexes_.at(data).lock();
  }
  static void UnlockShare(CURL* /*handle*/, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_mutexes_.at(data).unlock();
  }

  CURL* AcquireHandle() {
    {
      const std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        CURL* handle = idle_.back();
        idle_.pop_back();
        return handle;
      }
    }
    CURL* handle = curl_easy_init();
    CAIRN_CHECK(handle != nullptr);
    return handle;
  }

  void ReleaseHandle(CURL* handle) {
    {
      const std::lock_guard lock(mutex_);
      if (idle_.size() < options_.max_idle_handles) {
        idle_.push_back(handle);
        return;
      }
    }
    curl_easy_cleanup(handle);
  }

  void RunAttempt(CURL* handle, const Request& request, Outcome& outcome);
  void LogAttempt(const Request& request, const Outcome& outcome, int attempt,
                  std::int64_t bytes, Clock::duration elapsed) const;

  const HttpClientOptions options_;
  CURLSH* share_ = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_mutexes_;

  std::mutex mutex_;  // guards idle_
  std::vector<CURL*> idle_;
};

void HttpClient::Impl::RunAttempt(CURL* handle, const Request& request,
                                  Outcome& outcome) {
  curl_easy_reset(handle);
  const Slist header_list = BuildHeaderList(request);
  std::array<char, CURL_ERROR_SIZE> error_buffer{};

  curl_easy_setopt(handle, CURLOPT_SHARE, share_);
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  // Object keys are byte-exact: "a/../b" must reach the server as written.
  curl_easy_setopt(handle, CURLOPT_PATH_AS_IS, CurlLong{1});
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, CurlLong{1});
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer.data());
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<CurlLong>(options_.connect_timeout_ms));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<CurlLong>(options_.attempt_timeout_ms));
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_LIMIT, CurlLong{1});
  curl_easy_setopt(handle, CURLOPT_LOW_SPEED_TIME,
                   static_cast<CurlLong>(options_.stall_timeout_s));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &outcome.attempt);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &outcome.attempt);

  if (request.method == "HEAD") {
    curl_easy_setopt(handle, CURLOPT_NOBODY, CurlLong{1});
  } else if (request.method != "GET") {
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!request.body.empty() || request.method == "PUT" || request.method == "POST") {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }

  outcome.code = curl_easy_perform(handle);
  if (outcome.code != CURLE_OK) {
    outcome.curl_error = error_buffer[0] != '\0' ? std::string(error_buffer.data())
                                                 : curl_easy_strerror(outcome.code);
  }
}

void HttpClient::Impl::LogAttempt(const Request& request, const Outcome& outcome,
                                  int attempt, std::int64_t bytes,
                                  Clock::duration elapsed) const {
  const auto logger = log::Get("net");
  if (!logger->should_log(spdlog::level::debug)) {
    return;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
  const std::string request_id =
      FindHeader(outcome.attempt.headers, "x-amz-request-id")
          .value_or(FindHeader(outcome.attempt.headers, "x-request-id").value_or("-"));
  if (outcome.code != CURLE_OK) {
    logger->debug("{} {} error=\"{}\" bytes={} ms={} attempt={}", request.method,
                  redact::Url(request.url), outcome.curl_error, bytes, ms, attempt);
  } else {
    logger->debug("{} {} status={} bytes={} ms={} attempt={} request_id={}",
                  request.method, redact::Url(request.url), outcome.attempt.status, bytes,
                  ms, attempt, request_id);
  }
  if (logger->should_log(spdlog::level::trace)) {
    for (const auto& [name, value] : request.headers) {
      logger->trace("> {}", redact::Header(name, value));
    }
    for (const auto& [name, value] : outcome.attempt.headers) {
      logger->trace("< {}", redact::Header(name, value));
    }
  }
}

Result<Response> HttpClient::Impl::Perform(const Request& request, BodySink* sink) {
  CURL* handle = AcquireHandle();
  const std::unique_ptr<CURL, std::function<void(CURL*)>> release(
      handle, [this](CURL* used) { ReleaseHandle(used); });
  const int max_attempts = std::max(1, options_.retry.max_attempts);
  std::int64_t delivered = 0;
  std::string first_etag;

  for (int attempt_number = 1;; ++attempt_number) {
    // A resumed attempt asks for the rest only, of the same object.
    Request attempt_request = request;
    const std::int64_t delivered_before = delivered;
    if (sink != nullptr && delivered > 0) {
      ByteRange rest = request.range.value_or(ByteRange{});
      rest.offset += delivered;
      rest.length = rest.length < 0 ? -1 : rest.length - delivered;
      attempt_request.range = rest;
      if (!first_etag.empty() && !FindHeader(request.headers, "If-Match").has_value()) {
        attempt_request.headers.emplace_back("If-Match", first_etag);
      }
      CAIRN_RETURN_IF_ERROR(sink->Restart(delivered));
    }
    if (attempt_request.range.has_value()) {
      attempt_request.headers.emplace_back("Range",
                                           RangeHeaderValue(*attempt_request.range));
    }
    if (request.signer) {
      CAIRN_ASSIGN_OR_RETURN(Headers signature, request.signer(attempt_request));
      attempt_request.headers.insert(attempt_request.headers.end(), signature.begin(),
                                     signature.end());
    }

    Outcome outcome;
    outcome.attempt.sink = sink;
    outcome.attempt.max_error_body_bytes = options_.max_error_body_bytes;
    outcome.attempt.delivered = &delivered;
    outcome.attempt.range_requested = attempt_request.range.has_value();
    if (attempt_request.range.has_value()) {
      outcome.attempt.expected_range_start = attempt_request.range->offset;
    }
    if (sink == nullptr) {
      delivered = 0;  // a string body restarts from scratch on every attempt
    }
    const Clock::time_point start = Clock::now();
    RunAttempt(handle, attempt_request, outcome);
    LogAttempt(attempt_request, outcome, attempt_number, delivered - delivered_before,
               Clock::now() - start);

    const std::string what = request.method + " " + redact::Url(request.url);
    if (!outcome.attempt.stop.ok()) {
      return outcome.attempt.stop.code() == StatusCode::kDataLoss
                 ? outcome.attempt.stop.WithContext("resuming " + what)
                 : outcome.attempt.stop;
    }
    if (first_etag.empty() && IsSuccess(outcome.attempt.status)) {
      first_etag = FindHeader(outcome.attempt.headers, "ETag").value_or("");
    }

    const bool transport_failed = outcome.code != CURLE_OK;
    if (transport_failed && IsPermanentCurlError(outcome.code)) {
      return InvalidArgumentError(what + ": " + outcome.curl_error);
    }
    const AttemptFailure failure = !transport_failed ? AttemptFailure::kResponse
                                   : outcome.code == CURLE_OPERATION_TIMEDOUT
                                       ? AttemptFailure::kTimeout
                                       : AttemptFailure::kConnection;
    const bool retryable =
        transport_failed ||
        RetryPolicy::IsRetryable(failure, outcome.attempt.status, outcome.attempt.body);
    if (!retryable || attempt_number >= max_attempts) {
      if (transport_failed) {
        const std::string message = what + ": " + outcome.curl_error + " (after " +
                                    std::to_string(attempt_number) + " attempts)";
        return failure == AttemptFailure::kTimeout ? DeadlineExceededError(message)
                                                   : UnavailableError(message);
      }
      Response response;
      response.status = outcome.attempt.status;
      response.headers = std::move(outcome.attempt.headers);
      response.body = std::move(outcome.attempt.body);
      response.body_bytes = delivered;
      response.attempts = attempt_number;
      return response;
    }

    const std::optional<std::int64_t> retry_after =
        transport_failed
            ? std::nullopt
            : ParseInt(FindHeader(outcome.attempt.headers, "Retry-After").value_or(""));
    const std::chrono::milliseconds delay =
        options_.retry.Delay(attempt_number, RandomUnit(), retry_after);
    log::Get("net")->warn("retrying {} after {} attempt={} delay_ms={}", what,
                          transport_failed
                              ? outcome.curl_error
                              : "status " + std::to_string(outcome.attempt.status),
                          attempt_number, delay.count());
    std::this_thread::sleep_for(delay);
  }
}

HttpClient::HttpClient(const HttpClientOptions& options)
    : impl_(std::make_unique<Impl>(options)) {}

HttpClient::~HttpClient() = default;

Result<Response> HttpClient::Perform(const Request& request, BodySink* sink) {
  return impl_->Perform(request, sink);
}

}  // namespace cairn::net

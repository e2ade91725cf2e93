// One HTTP(S) GET of a file into an open file descriptor with libcurl: the body lands at `offset`
// after a 206 whose Content-Range starts there, or at 0 (the file truncated first) after a 200 from a
// server that ignores Range. No retries here; ModelDownloader decides what a result means.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace vfi::download {

struct TransferRequest {
    std::string url;
    int64_t offset = 0;            // bytes already in the file, asked for with Range: bytes=offset-
    std::string ifRange;           // validator of those bytes (ETag or Last-Modified); "" = none
    int connectTimeoutSeconds = 30;
    int stallSeconds = 60;         // no byte for this long: the attempt ends (CURLE_OPERATION_TIMEDOUT)
    std::string userAgent;
};

struct TransferResult {
    long status = 0;               // HTTP status of the last response (after redirects); 0: none
    int64_t total = -1;            // size of the whole resource (Content-Range, or Content-Length of a 200); -1 unknown
    int64_t fileBytes = 0;         // where the file ends after this attempt
    int64_t received = 0;          // body bytes written by this attempt
    bool restarted = false;        // a 200 replaced the earlier bytes
    std::string validator;         // strong ETag, else Last-Modified, of the last response
    std::string contentType;
    int curlCode = 0;              // CURLE_OK = 0
    std::string curlError;         // libcurl's text for curlCode
    bool cancelled = false;
    std::string rejected;          // non-empty: the transfer was stopped on purpose, and why
};

struct TransferCallbacks {
    // Before the first body byte is written: the response's validator and total size, so the caller
    // can record what the bytes about to land belong to (a process killed later resumes from them).
    std::function<void(const std::string& validator, int64_t total)> onBodyStart;
    // From libcurl's progress callback (often; the caller throttles).
    std::function<void(int64_t fileBytes, int64_t total)> onBytes;
};

// Thread: the caller's. `cancel` is polled from libcurl's progress callback (at least once a second).
TransferResult transferToFile(const TransferRequest& request, int fd, const std::atomic<bool>& cancel,
                              const TransferCallbacks& callbacks);

// True for a libcurl result worth another attempt (connection refused/reset, timeouts, a body cut
// short), false for ones that will not change (bad URL, unsupported protocol, TLS certificate).
bool transientCurlError(int curlCode);

}  // namespace vfi::download

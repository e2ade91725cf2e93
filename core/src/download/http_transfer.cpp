#include "download/http_transfer.h"

#include <curl/curl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>

namespace vfi::download {

namespace {

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

void globalInit() {
    // curl_global_init is not thread-safe in every libcurl a user may link against: once per process.
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(const std::string& s) {
    size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

// State of one attempt, shared by libcurl's callbacks. Header fields are those of the latest
// response: a redirect's headers are replaced by the next response's.
struct Attempt {
    const TransferRequest* request = nullptr;
    int fd = -1;
    const std::atomic<bool>* cancel = nullptr;
    const TransferCallbacks* callbacks = nullptr;
    TransferResult result;

    long status = 0;
    int64_t contentLength = -1;
    int64_t rangeFirst = -1;     // Content-Range: bytes FIRST-LAST/TOTAL (FIRST -1 for "*/TOTAL")
    int64_t rangeTotal = -1;
    std::string etag, lastModified, contentType;

    bool decided = false;        // the current response's body has been judged
    bool writing = false;        // ... and goes into the file
    int64_t position = 0;        // next write offset in the file

    void newResponse(long code) {
        status = code;
        contentLength = rangeFirst = rangeTotal = -1;
        etag.clear();
        lastModified.clear();
        contentType.clear();
        decided = writing = false;
    }

    void header(const std::string& line) {
        if (line.rfind("HTTP/", 0) == 0) {
            const auto sp = line.find(' ');
            newResponse(sp == std::string::npos ? 0 : std::strtol(line.c_str() + sp + 1, nullptr, 10));
            return;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos) return;
        const std::string name = lower(trim(line.substr(0, colon)));
        const std::string value = trim(line.substr(colon + 1));
        if (name == "content-length") {
            contentLength = std::strtoll(value.c_str(), nullptr, 10);
        } else if (name == "content-type") {
            contentType = lower(value);
        } else if (name == "etag") {
            etag = value.rfind("W/", 0) == 0 ? std::string() : value;   // a weak ETag cannot guard a range
        } else if (name == "last-modified") {
            lastModified = value;
        } else if (name == "content-range") {
            const std::string v = lower(value);
            if (v.rfind("bytes ", 0) != 0) return;
            const auto slash = v.find('/');
            if (slash == std::string::npos) return;
            if (v.compare(6, 1, "*") != 0) rangeFirst = std::strtoll(v.c_str() + 6, nullptr, 10);
            if (v.compare(slash + 1, 1, "*") != 0) rangeTotal = std::strtoll(v.c_str() + slash + 1, nullptr, 10);
        }
    }

    // Judges the body of the current response before its first byte is stored.
    bool decide() {
        decided = true;
        if (status == 206) {
            if (rangeFirst != request->offset) {
                result.rejected = "the server answered a range request with bytes from " + std::to_string(rangeFirst) +
                                  " instead of " + std::to_string(request->offset);
                return false;
            }
            position = request->offset;
            writing = true;
        } else if (status == 200) {
            if (contentType.rfind("text/html", 0) == 0) {
                result.rejected = "the server sent an HTML page (Content-Type " + contentType +
                                  ") instead of the model file: the URL is probably a web page, not the file itself";
                return false;
            }
            if (::ftruncate(fd, 0) != 0) {
                result.rejected = std::string("cannot truncate the partial file: ") + std::strerror(errno);
                return false;
            }
            result.restarted = request->offset > 0;
            position = 0;
            writing = true;
        }
        if (writing && callbacks->onBodyStart) callbacks->onBodyStart(validator(), total());
        return true;
    }

    std::string validator() const { return !etag.empty() ? etag : lastModified; }

    size_t body(const char* data, size_t n) {
        if (!decided && !decide()) return 0;   // 0 makes libcurl stop with CURLE_WRITE_ERROR
        if (!writing) return n;               // an error page: read and dropped
        size_t off = 0;
        while (off < n) {
            const ssize_t w = ::pwrite(fd, data + off, n - off, static_cast<off_t>(position));
            if (w < 0) {
                if (errno == EINTR) continue;
                result.rejected = std::string("cannot write the partial file: ") + std::strerror(errno);
                return 0;
            }
            off += static_cast<size_t>(w);
            position += w;
        }
        result.received += static_cast<int64_t>(n);
        return n;
    }

    int64_t total() const {
        if (status == 206 || status == 416) return rangeTotal;
        if (status == 200) return contentLength;
        return -1;
    }
};

size_t onHeader(char* data, size_t size, size_t n, void* user) {
    static_cast<Attempt*>(user)->header(std::string(data, size * n));
    return size * n;
}

size_t onBody(char* data, size_t size, size_t n, void* user) { return static_cast<Attempt*>(user)->body(data, size * n); }

int onXfer(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto* a = static_cast<Attempt*>(user);
    if (a->cancel->load()) return 1;   // CURLE_ABORTED_BY_CALLBACK
    if (a->writing && a->callbacks->onBytes) a->callbacks->onBytes(a->position, a->total());
    return 0;
}

}  // namespace

bool transientCurlError(int code) {
    switch (static_cast<CURLcode>(code)) {
        case CURLE_COULDNT_RESOLVE_PROXY:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_CONNECT:
        case CURLE_PARTIAL_FILE:
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_GOT_NOTHING:
        case CURLE_SEND_ERROR:
        case CURLE_RECV_ERROR:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_SSL_CONNECT_ERROR:
            return true;
        default:
            return false;
    }
}

TransferResult transferToFile(const TransferRequest& request, int fd, const std::atomic<bool>& cancel,
                              const TransferCallbacks& callbacks) {
    globalInit();
    Attempt a;
    a.request = &request;
    a.fd = fd;
    a.cancel = &cancel;
    a.callbacks = &callbacks;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        a.result.curlCode = CURLE_FAILED_INIT;
        a.result.curlError = "libcurl could not start a transfer";
        return a.result;
    }
    CURL* c = curl.get();
    char errorBuffer[CURL_ERROR_SIZE] = {};
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    if (request.offset > 0 && !request.ifRange.empty())
        headers.reset(curl_slist_append(nullptr, ("If-Range: " + request.ifRange).c_str()));
    const std::string range = std::to_string(request.offset) + "-";
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);   // Hugging Face answers with a redirect to its CDN
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#endif
    if (request.offset > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
    if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(c, CURLOPT_USERAGENT, request.userAgent.c_str());
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(request.connectTimeoutSeconds));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.stallSeconds));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);           // worker threads: no SIGALRM for DNS timeouts
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &a);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onXfer);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &a);

    const CURLcode rc = curl_easy_perform(c);
    // A 200 with an empty body never reaches onBody: the file is still replaced by nothing.
    if (!a.decided && a.status == 200 && rc == CURLE_OK) a.decide();
    TransferResult r = a.result;
    r.status = a.status;
    r.total = a.total();
    r.validator = a.validator();
    r.contentType = a.contentType;
    r.curlCode = rc;
    r.cancelled = rc == CURLE_ABORTED_BY_CALLBACK;
    r.curlError = errorBuffer[0] ? errorBuffer : curl_easy_strerror(rc);
    const off_t end = ::lseek(fd, 0, SEEK_END);
    r.fileBytes = end < 0 ? 0 : static_cast<int64_t>(end);
    return r;
}

}  // namespace vfi::download

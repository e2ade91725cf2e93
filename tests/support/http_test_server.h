// A small HTTP/1.1 server on 127.0.0.1 for the download tests: serves files from memory and, per
// route, misbehaves the way real servers and networks do (a connection dropped half way, a body cut
// short, Range ignored, an HTML page, an error status, a redirect, a slow trickle). One connection
// at a time, "Connection: close" on every response; started and stopped by the test itself.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace vfi::test {

struct HttpRoute {
    std::string body;                  // the resource
    std::string contentType = "application/octet-stream";
    int status = 200;                  // 200: serve body (206 for a satisfiable Range when honourRange)
    bool honourRange = true;           // false: always 200 with the whole body
    std::string etag = "\"v1\"";      // sent, and compared with If-Range
    std::string location;              // status 3xx: Location header
    // Close the connection once the body has reached this absolute byte offset of the resource,
    // although Content-Length promised more. Applies to the first `dropTimes` requests; -1 = forever.
    int64_t dropAtByte = -1;
    int dropTimes = -1;
    int delayPerChunkMs = 0;           // pause after each 16 KiB (slow server, for cancel tests)
};

struct HttpRequestLog {
    std::string path;
    std::string range;                 // the Range header, "" if none
    std::string ifRange;
};

class HttpTestServer {
public:
    HttpTestServer();                  // listens on 127.0.0.1 and an ephemeral port
    ~HttpTestServer();
    HttpTestServer(const HttpTestServer&) = delete;
    HttpTestServer& operator=(const HttpTestServer&) = delete;

    bool listening() const { return m_listenFd >= 0; }
    int port() const { return m_port; }
    std::string url(const std::string& path) const;   // "http://127.0.0.1:PORT" + path

    void setRoute(const std::string& path, HttpRoute route);   // unknown paths answer 404
    std::vector<HttpRequestLog> requests() const;
    void clearRequests();

private:
    void serve();
    void handle(int fd);

    int m_listenFd = -1;
    int m_wakePipe[2] = {-1, -1};
    int m_port = 0;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::map<std::string, HttpRoute> m_routes;
    std::map<std::string, int> m_served;   // requests per path, for dropTimes
    std::vector<HttpRequestLog> m_log;
};

}  // namespace vfi::test

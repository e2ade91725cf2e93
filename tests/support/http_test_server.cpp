#include "support/http_test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>

namespace vfi::test {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool sendAll(int fd, const char* data, size_t n) {
    while (n > 0) {
        const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
        if (w <= 0) return false;
        data += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

const char* reason(int status) {
    switch (status) {
        case 200: return "OK";
        case 206: return "Partial Content";
        case 302: return "Found";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 416: return "Range Not Satisfiable";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Status";
    }
}

// Reads the request head (up to the blank line); "" on timeout or a closed connection.
std::string readHead(int fd) {
    std::string head;
    char buf[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) return {};
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return {};
        head.append(buf, static_cast<size_t>(n));
    }
    return head;
}

}  // namespace

HttpTestServer::HttpTestServer() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 16) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0 || ::pipe(m_wakePipe) != 0) {
        ::close(fd);
        return;
    }
    m_listenFd = fd;
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { serve(); });
}

HttpTestServer::~HttpTestServer() {
    if (m_thread.joinable()) {
        const char x = 'x';
        [[maybe_unused]] const ssize_t n = ::write(m_wakePipe[1], &x, 1);
        m_thread.join();
    }
    for (int fd : {m_listenFd, m_wakePipe[0], m_wakePipe[1]})
        if (fd >= 0) ::close(fd);
}

std::string HttpTestServer::url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(m_port) + path; }

void HttpTestServer::setRoute(const std::string& path, HttpRoute route) {
    std::lock_guard lock(m_mutex);
    m_routes[path] = std::move(route);
    m_served.erase(path);
}

std::vector<HttpRequestLog> HttpTestServer::requests() const {
    std::lock_guard lock(m_mutex);
    return m_log;
}

void HttpTestServer::clearRequests() {
    std::lock_guard lock(m_mutex);
    m_log.clear();
}

void HttpTestServer::serve() {
    for (;;) {
        pollfd fds[2] = {{m_listenFd, POLLIN, 0}, {m_wakePipe[0], POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents) return;
        const int client = ::accept4(m_listenFd, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        handle(client);
        ::close(client);
    }
}

void HttpTestServer::handle(int fd) {
    const std::string head = readHead(fd);
    if (head.empty()) return;
    HttpRequestLog req;
    const auto sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
    req.path = head.substr(sp1 + 1, sp2 - sp1 - 1);
    for (size_t at = head.find("\r\n"); at != std::string::npos && at + 2 < head.size();) {
        const size_t end = head.find("\r\n", at + 2);
        const std::string line = head.substr(at + 2, end - at - 2);
        const auto colon = line.find(':');
        if (colon != std::string::npos) {
            const std::string name = lower(line.substr(0, colon));
            std::string value = line.substr(colon + 1);
            value.erase(0, value.find_first_not_of(' '));
            if (name == "range") req.range = value;
            if (name == "if-range") req.ifRange = value;
        }
        at = end;
    }
    HttpRoute route;
    bool known = false, drop = false;
    {
        std::lock_guard lock(m_mutex);
        m_log.push_back(req);
        auto it = m_routes.find(req.path);
        if (it != m_routes.end()) {
            known = true;
            route = it->second;
            const int served = m_served[req.path]++;
            drop = route.dropAtByte >= 0 && (route.dropTimes < 0 || served < route.dropTimes);
        }
    }
    auto respond = [&](int status, const std::string& extraHeaders, const std::string& body) {
        const std::string h = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n" + extraHeaders +
                              "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
        if (sendAll(fd, h.data(), h.size())) sendAll(fd, body.data(), body.size());
    };
    if (!known) return respond(404, "Content-Type: text/plain\r\n", "no such file\n");
    if (route.status >= 300 && route.status < 400) return respond(route.status, "Location: " + route.location + "\r\n", "");
    if (route.status != 200) return respond(route.status, "Content-Type: " + route.contentType + "\r\n", route.body);

    const int64_t total = static_cast<int64_t>(route.body.size());
    int64_t start = 0;
    bool partial = false;
    if (route.honourRange && req.range.rfind("bytes=", 0) == 0 && (req.ifRange.empty() || req.ifRange == route.etag)) {
        start = std::strtoll(req.range.c_str() + 6, nullptr, 10);
        if (start >= total)
            return respond(416, "Content-Range: bytes */" + std::to_string(total) + "\r\n", "");
        partial = true;
    }
    std::string h = "HTTP/1.1 " + std::string(partial ? "206 Partial Content" : "200 OK") + "\r\nContent-Type: " + route.contentType +
                    "\r\nETag: " + route.etag + "\r\nContent-Length: " + std::to_string(total - start) + "\r\n";
    if (route.honourRange) h += "Accept-Ranges: bytes\r\n";
    if (partial) h += "Content-Range: bytes " + std::to_string(start) + "-" + std::to_string(total - 1) + "/" + std::to_string(total) + "\r\n";
    h += "Connection: close\r\n\r\n";
    if (!sendAll(fd, h.data(), h.size())) return;
    const int64_t end = drop ? std::clamp(route.dropAtByte, start, total) : total;
    constexpr int64_t kChunk = 16384;
    for (int64_t at = start; at < end; at += kChunk) {
        const int64_t n = std::min(kChunk, end - at);
        if (!sendAll(fd, route.body.data() + at, static_cast<size_t>(n))) return;
        if (route.delayPerChunkMs > 0) std::this_thread::sleep_for(std::chrono::milliseconds(route.delayPerChunkMs));
    }
    // A drop: the connection closes with the body shorter than its Content-Length.
}

}  // namespace vfi::test

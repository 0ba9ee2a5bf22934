#pragma once
// A response's status line and header fields as the bytes that go on the wire.
//
// Beast's serializer walks a response as a sequence of small buffers (one per field, joined by
// buffers_cat_view iterators) on every write; with the ten fields each answer carries here, that
// walk cost about 5 % of the server's CPU on a GET by id. Written once into one string, the head
// and the body leave in a single gather write. Responses here are never chunked: every body is a
// whole string, framed by its Content-Length (or, for a live stream, by the connection's close),
// so the bytes are the same as Beast's.
//
//   response_head(response) == "HTTP/1.1 200 OK\r\nDate: ...\r\n...\r\n\r\n"

#include <string>

#include "http/types.hpp"

namespace attendance::http {

// The response's start line, its fields in order, and the blank line.
std::string response_head(const Response& response);

}  // namespace attendance::http

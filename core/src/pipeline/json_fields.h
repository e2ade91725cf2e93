#pragma once
// Strict readers for whole numbers in the JSON files this project writes (session, records, index,
// locks, caches). nlohmann's get<int>() turns a JSON float into an integer with a static_cast, which is
// undefined behaviour when the value is out of range: a damaged or hand-edited session.json holding
// 3e64 (found by fuzz_session) made every later check meaningless. These accept only JSON integers
// that fit the target type and throw std::invalid_argument naming the field otherwise, which the
// loaders already turn into "session file … is damaged (…)".

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace vfi::pipeline {

template <class T = int64_t>
T jsonInteger(const nlohmann::json& v, const std::string& what) {
    static_assert(std::is_integral_v<T> && std::is_signed_v<T>, "session fields are signed");
    if (v.is_number_unsigned()) {
        const auto u = v.get<uint64_t>();
        if (u <= static_cast<uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(u);
    } else if (v.is_number_integer()) {
        const auto i = v.get<int64_t>();
        if (i >= std::numeric_limits<T>::min() && i <= std::numeric_limits<T>::max()) return static_cast<T>(i);
    }
    throw std::invalid_argument(what + " is " + v.dump().substr(0, 40) + ", not a whole number in range");
}

// A required field of an object.
template <class T = int64_t>
T integerAt(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object() || !obj.contains(key)) throw std::invalid_argument(std::string("\"") + key + "\" is missing");
    return jsonInteger<T>(obj[key], std::string("\"") + key + "\"");
}

// An optional field: absent (or null) gives the fallback, present with another type throws.
template <class T = int64_t>
T integerOr(const nlohmann::json& obj, const char* key, T fallback) {
    if (!obj.is_object()) throw std::invalid_argument("not a JSON object");
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return fallback;
    return jsonInteger<T>(*it, std::string("\"") + key + "\"");
}

inline std::vector<int64_t> integerList(const nlohmann::json& v, const std::string& what) {
    if (!v.is_array()) throw std::invalid_argument(what + " is not a list");
    std::vector<int64_t> out;
    out.reserve(v.size());
    for (const auto& x : v) out.push_back(jsonInteger<int64_t>(x, what + " entry"));
    return out;
}

// Fields that tools read for display only: a wrong type gives the fallback instead of an error.
template <class T = int64_t>
T integerOrLenient(const nlohmann::json& obj, const char* key, T fallback) {
    try {
        return integerOr<T>(obj, key, fallback);
    } catch (const std::invalid_argument&) {
        return fallback;
    }
}

inline std::string stringOrLenient(const nlohmann::json& obj, const char* key, const std::string& fallback) {
    if (!obj.is_object()) return fallback;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace vfi::pipeline

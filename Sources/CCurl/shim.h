#ifndef SCIMCTL_CCURL_SHIM_H
#define SCIMCTL_CCURL_SHIM_H
#include <curl/curl.h>

// Swift cannot call C variadic functions, so each curl_easy_setopt / curl_easy_getinfo
// shape scimctl uses gets a typed wrapper here.

static inline CURLcode scimctl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode scimctl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode scimctl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode scimctl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode scimctl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode scimctl_easy_setopt_share(CURL *handle, CURLSH *share) {
    return curl_easy_setopt(handle, CURLOPT_SHARE, share);
}

typedef size_t (*scimctl_write_callback)(char *data, size_t size, size_t count, void *context);
static inline CURLcode scimctl_easy_setopt_write_function(CURL *handle, CURLoption option, scimctl_write_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode scimctl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode scimctl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode scimctl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode scimctl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLSHcode scimctl_share_setopt_long(CURLSH *share, CURLSHoption option, long value) {
    return curl_share_setopt(share, option, value);
}
// The share handle is used from several easy handles on different threads, so it needs lock callbacks.
typedef void (*scimctl_share_lock_callback)(CURL *handle, curl_lock_data data, curl_lock_access access, void *context);
typedef void (*scimctl_share_unlock_callback)(CURL *handle, curl_lock_data data, void *context);
static inline CURLSHcode scimctl_share_setopt_locking(CURLSH *share, scimctl_share_lock_callback lock,
                                                      scimctl_share_unlock_callback unlock, void *context) {
    CURLSHcode code = curl_share_setopt(share, CURLSHOPT_LOCKFUNC, lock);
    if (code != CURLSHE_OK) return code;
    code = curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, unlock);
    if (code != CURLSHE_OK) return code;
    return curl_share_setopt(share, CURLSHOPT_USERDATA, context);
}
#endif

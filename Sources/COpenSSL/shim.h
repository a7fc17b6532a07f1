#ifndef ARTIFACTORY_HOOKS_COPENSSL_SHIM_H
#define ARTIFACTORY_HOOKS_COPENSSL_SHIM_H
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#endif

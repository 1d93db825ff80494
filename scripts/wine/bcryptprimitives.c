/*
 * bcryptprimitives.dll for Wine 8, which has none: Rust's standard library gets its random
 * bytes from ProcessPrng in this DLL (HashMap keys, among others), so every Rust program for
 * Windows stops at start-up without it. This one function forwards to RtlGenRandom, which is
 * advapi32's SystemFunction036. Built with mingw by scripts/wine-setup.sh; for tests only.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

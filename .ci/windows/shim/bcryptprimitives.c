/*
 * Test-harness shim, never shipped: Wine 8.0 (Debian 12) has no
 * bcryptprimitives.dll, and every Go >= 1.21 Windows binary loads it at
 * start for ProcessPrng. This DLL provides ProcessPrng on top of
 * RtlGenRandom (advapi32!SystemFunction036). Built and copied into a
 * throwaway WINEPREFIX by .ci/windows/smoke.sh.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        size -= n;
    }
    return TRUE;
}

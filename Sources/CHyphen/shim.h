// libhyphen (Debian libhyphen-dev; GPL/LGPL/MPL tri-licence, used under the LGPL/MPL terms,
// linked dynamically): Liang's pattern hyphenation as LibreOffice uses it.
#include <hyphen.h>

/* embedded.h - data compiled into the programs: schema migrations and policy presets. */
#ifndef EMBARGO_EMBEDDED_H
#define EMBARGO_EMBEDDED_H

void embedded_init(void);

#endif

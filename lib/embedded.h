/* embedded.h - data compiled into the programs: schema migrations and policy presets. */
#ifndef EMBARGO_EMBEDDED_H
#define EMBARGO_EMBEDDED_H

/* Registers the compiled-in resources; once per process, any thread, any number of calls. */
void embedded_init(void);

#endif

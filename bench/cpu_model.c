/* bench/cpu_model: print this machine's CPU model, as the sweep's captions
 * say it (machine.h), for the benchmarks' heading. */
#include <stdio.h>

#include "machine.h"

int main(void)
{
	char model[128];

	if (machine_cpu_model(model, sizeof(model)) != 0)
		return 1;
	puts(model);
	return 0;
}

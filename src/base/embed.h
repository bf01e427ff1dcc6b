/* embed.h - data files compiled into the binary (embed.S). */
#ifndef XF_EMBED_H
#define XF_EMBED_H

extern const char xf_calendar_json[]; /* data/calendar/cn-holidays.json */
extern const char xf_policies_txt[];  /* data/policy/policies.txt */

#endif

/* tools.h: the writer's commands: folio new, folio check, folio serve */
#ifndef TOOLS_H
#define TOOLS_H

int	cmd_new(int argc, char **argv);
int	cmd_check(int argc, char **argv);
int	cmd_serve(int argc, char **argv);

#endif

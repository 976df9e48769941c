/*
 * cmd_completion: `concdemo completion bash|zsh` prints a completion
 * script for that shell, made from main.c's table of commands and each
 * command's option table (struct cli_option), the same tables cli_getopt
 * parses with: an option added to a table is completed with no other
 * edit.  The scripts hold the names; they never run concdemo themselves.
 *
 * Completed: the commands (and `help COMMAND`), each command's long
 * options (a required value as --opt=, then its words: --model=thread),
 * the words of an option's value, file names for a FILE value, and words
 * an operand takes (`completion bash`).  Canonical spellings only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define CMD "completion"

static const char usage_text[] =
	"usage: concdemo completion bash|zsh\n"
	"\n"
	"Print a completion script for bash or zsh, made from the option\n"
	"tables concdemo parses with.  'make install' installs both.\n"
	"\n"
	"  -h, --help    show this help\n"
	"\n"
	"Examples:\n"
	"  concdemo completion bash > ~/.local/share/bash-completion/completions/concdemo\n"
	"  concdemo completion zsh > ~/.zfunc/_concdemo   # a folder of $fpath\n";

enum { SHELL_BASH, SHELL_ZSH };

const struct cli_word cmd_completion_shells[] = {
	{ "bash", SHELL_BASH },
	{ "zsh", SHELL_ZSH },
	{ NULL, 0 },
};

const struct cli_option cmd_completion_options[] = {
	CLI_OPT_HELP,
	CLI_OPT_END,
};

/* The canonical words of a table, separated by spaces. */
static void put_words(const struct cli_word *words)
{
	size_t i;
	bool first = true;

	for (i = 0; words[i].name != NULL; i++) {
		if (!cli_word_is_canonical(words, i))
			continue;
		printf("%s%s", first ? "" : " ", words[i].name);
		first = false;
	}
}

static void put_commands(void)
{
	const struct cli_command *c;
	size_t i;

	for (i = 0; (c = cli_command(i)) != NULL; i++)
		printf("%s%s", i ? " " : "", c->name);
}

/* The words c's operand takes (the commands, or its operand words);
 * nothing where it takes any word. */
static void put_operands(const struct cli_command *c)
{
	if (c->command_operand)
		put_commands();
	else if (c->operands != NULL)
		put_words(c->operands);
}

static bool is_file(const struct cli_option *o)
{
	return o->arg != NULL && strcmp(o->arg, "FILE") == 0;
}

/* ---- bash ---- */

static void bash_options(const struct cli_option *opts)
{
	size_t i;

	for (i = 0; opts[i].name != NULL; i++)
		printf("%s--%s%s", i ? " " : "", opts[i].name,
		       opts[i].has_arg == required_argument ? "=" : "");
}

/* The case arms completing option values: CMD:--OPT) words or files. */
static void bash_values(const struct cli_command *c)
{
	const struct cli_option *o;

	for (o = c->options; o->name != NULL; o++) {
		if (is_file(o)) {
			printf("\t\t%s:--%s) local IFS=$'\\n'; compopt -o "
			       "filenames 2>/dev/null\n\t\t\tCOMPREPLY=($(compgen "
			       "-f -P \"$pre\" -- \"$cur\")); return ;;\n",
			       c->name, o->name);
		} else if (o->words != NULL) {
			printf("\t\t%s:--%s) words=\"", c->name, o->name);
			put_words(o->words);
			printf("\" ;;\n");
		}
	}
}

static void bash_script(void)
{
	const struct cli_command *c;
	size_t i;

	printf("# bash completion for concdemo(1), made by 'concdemo "
	       "completion bash'\n"
	       "# from the option tables the parser uses.  Source it, or "
	       "install it as\n"
	       "# $BASH_COMPLETION_USER_DIR/completions/concdemo.\n"
	       "# (The words compgen returns hold no blanks; file names are "
	       "split at\n# newlines only.)\n"
	       "# shellcheck disable=SC2207\n"
	       "_concdemo()\n{\n"
	       "\tlocal cur=${COMP_WORDS[COMP_CWORD]} "
	       "prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	       "\tlocal i cmd='' opt='' pre='' words='' opts=''\n"
	       "\tCOMPREPLY=()\n"
	       "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	       "\t\tcase ${COMP_WORDS[i]} in\n"
	       "\t\t-* | =) ;;\n"
	       "\t\t*) cmd=${COMP_WORDS[i]}; break ;;\n"
	       "\t\tesac\n"
	       "\tdone\n"
	       "\t# --opt=value: one word, or three when '=' breaks words.\n"
	       "\tif [[ $cur == = ]]; then\n"
	       "\t\topt=$prev cur=''\n"
	       "\telif [[ $prev == = ]] && ((COMP_CWORD >= 2)); then\n"
	       "\t\topt=${COMP_WORDS[COMP_CWORD-2]}\n"
	       "\telif [[ $cur == --*=* ]]; then\n"
	       "\t\topt=${cur%%%%=*} pre=${cur%%%%=*}= cur=${cur#*=}\n"
	       "\tfi\n"
	       "\tif [[ -z $cmd ]]; then\n"
	       "\t\tif [[ $cur == -* ]]; then\n"
	       "\t\t\twords=\"");
	bash_options(cli_global_options);
	printf("\"\n\t\telse\n\t\t\twords=\"");
	put_commands();
	printf("\"\n\t\tfi\n"
	       "\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	       "\t\treturn\n"
	       "\tfi\n"
	       "\tif [[ -n $opt ]]; then\n"
	       "\t\tcase $cmd:$opt in\n");
	for (i = 0; (c = cli_command(i)) != NULL; i++)
		bash_values(c);
	printf("\t\t*) return ;;\n"
	       "\t\tesac\n"
	       "\t\tCOMPREPLY=($(compgen -P \"$pre\" -W \"$words\" -- "
	       "\"$cur\"))\n"
	       "\t\treturn\n"
	       "\tfi\n"
	       "\tcase $cmd in\n");
	for (i = 0; (c = cli_command(i)) != NULL; i++) {
		printf("\t%s) opts=\"", c->name);
		bash_options(c->options);
		printf("\" words=\"");
		put_operands(c);
		printf("\" ;;\n");
	}
	printf("\t*) return ;;\n"
	       "\tesac\n"
	       "\tif [[ $cur == -* ]]; then\n"
	       "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
	       "\t\t# --opt= waits for its value: no space after it.\n"
	       "\t\t[[ ${COMPREPLY[*]} == *= ]] && compopt -o nospace "
	       "2>/dev/null\n"
	       "\telse\n"
	       "\t\tCOMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
	       "\tfi\n"
	       "\treturn 0\n"
	       "}\n"
	       "complete -F _concdemo concdemo\n");
}

/* ---- zsh ---- */

/* s inside a single-quoted zsh word, and inside _arguments' [...]. */
static void zsh_text(const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else if (*s == '[' || *s == ']' || *s == '\\')
			printf("\\%c", *s);
		else
			putchar(*s);
	}
}

static void zsh_option(const struct cli_option *o)
{
	printf("\t\t\t'");
	if (o->val == 'h')
		printf("(- *)");
	printf("--%s%s[", o->name, o->has_arg == required_argument ? "=" :
	       o->has_arg == optional_argument ? "=-" : "");
	zsh_text(o->help ? o->help : "");
	printf("]");
	if (o->has_arg != no_argument) {
		printf("%s%s:", o->has_arg == optional_argument ? "::" : ":",
		       o->arg ? o->arg : "VALUE");
		if (is_file(o))
			printf("_files");
		else if (o->words != NULL) {
			printf("(");
			put_words(o->words);
			printf(")");
		} else {
			printf(" ");
		}
	}
	printf("' \\\n");
}

static void zsh_script(void)
{
	const struct cli_command *c;
	const struct cli_option *o;
	size_t i;

	printf("#compdef concdemo\n"
	       "# zsh completion for concdemo(1), made by 'concdemo completion "
	       "zsh'\n"
	       "# from the option tables the parser uses.  Install it as "
	       "_concdemo in a\n"
	       "# folder of $fpath, or source it after compinit.\n"
	       "_concdemo() {\n"
	       "\tlocal curcontext=$curcontext state line\n"
	       "\ttypeset -A opt_args\n"
	       "\tlocal -a cmds\n"
	       "\t_arguments -C \\\n");
	for (o = cli_global_options; o->name != NULL; o++) {
		printf("\t\t'(- :)--%s[", o->name);
		zsh_text(o->help ? o->help : "");
		printf("]' \\\n");
	}
	printf("\t\t'1:command:->command' \\\n"
	       "\t\t'*::argument:->args'\n"
	       "\tcase $state in\n"
	       "\tcommand)\n"
	       "\t\tcmds=(\n");
	for (i = 0; (c = cli_command(i)) != NULL; i++) {
		printf("\t\t\t'%s:", c->name);
		zsh_text(c->summary);
		printf("'\n");
	}
	printf("\t\t)\n"
	       "\t\t_describe -t commands 'concdemo command' cmds ;;\n"
	       "\targs)\n"
	       "\t\tcase $words[1] in\n");
	for (i = 0; (c = cli_command(i)) != NULL; i++) {
		printf("\t\t%s)\n\t\t\t_arguments \\\n", c->name);
		for (o = c->options; o->name != NULL; o++)
			zsh_option(o);
		if (c->command_operand || c->operands != NULL) {
			printf("\t\t\t'1:%s:(",
			       c->command_operand ? "command" : "operand");
			put_operands(c);
			printf(")'");
		} else {
			printf("\t\t\t'*:operand: '");
		}
		printf(" ;;\n");
	}
	printf("\t\tesac ;;\n"
	       "\tesac\n"
	       "}\n"
	       "if [ \"$funcstack[1]\" = _concdemo ]; then\n"
	       "\t_concdemo \"$@\"\n"
	       "else\n"
	       "\tcompdef _concdemo concdemo\n"
	       "fi\n");
}

int cmd_completion(int argc, char **argv)
{
	int c, shell = SHELL_BASH;

	cli_getopt_reset();
	while ((c = cli_getopt(CMD, argc, argv, cmd_completion_options)) !=
	       -1) {
		if (c != 'h')
			return CLI_USAGE;	/* cli_getopt said why */
		fputs(usage_text, stdout);
		return CLI_OK;
	}
	if (optind == argc)
		return cli_usage(CMD, "which shell? (expected bash or zsh)");
	if (optind + 1 < argc)
		return cli_usage(CMD, "unexpected argument '%.40s'",
				 argv[optind + 1]);
	if (cli_choice(CMD, "shell", argv[optind], cmd_completion_shells,
		       &shell) != CLI_OK)
		return CLI_USAGE;
	if (cli_dry_run)
		return CLI_OK;
	if (shell == SHELL_BASH)
		bash_script();
	else
		zsh_script();
	if (fflush(stdout) != 0 || ferror(stdout))
		return cli_output_failed(CMD, errno == EPIPE ? -EPIPE : -EIO);
	return CLI_OK;
}

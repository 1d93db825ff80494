# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_fgs_global_optspecs
    string join \n color= h/help V/version
end

function __fish_fgs_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_fgs_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_fgs_using_subcommand
    set -l cmd (__fish_fgs_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c fgs -n "__fish_fgs_needs_command" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_needs_command" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "invoke" -d 'Invoke a function synchronously and show its result, log and summary'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "config" -d 'Show the resolved settings, or the config file in use'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s d -l data -d 'Payload: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped, else {}]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l qualifier -d 'Invoke this version' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l alias -d 'Invoke this alias (sent as !NAME; no need to type the `!`)' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l memory -d 'Memory for this call in MB (needs dynamic memory on the function)' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l connect-timeout -d 'Seconds to wait for a connection' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s o -l output -d 'How to print the result [default: pretty on a terminal, else raw]' -r -f -a "pretty\t'Indented and coloured JSON, JSON inside strings expanded'
raw\t'The result exactly as returned, with a final newline added if it lacks one'
json\t'One JSON document with the result, log, status and summary'"
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l timeout -d 'Seconds to wait for the answer [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l no-log -d 'Do not ask for the function\'s log'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s v -l verbose -d 'Show the request and response headers on stderr (token masked)'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l dry-run -d 'Print the request that would be sent, and send nothing'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l no-fail -d 'Exit 0 even when the function reports an error'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show path help" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show path help" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "show" -d 'Print each resolved setting and where it came from (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "path" -d 'Print the path of the config file in use'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout -d 'Seconds to wait for the answer [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l timeout -d 'Seconds to wait for the answer [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print each resolved setting and where it came from (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of the config file in use'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand completions" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand completions" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand completions" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke config completions help" -f -a "invoke" -d 'Invoke a function synchronously and show its result, log and summary'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke config completions help" -f -a "config" -d 'Show the resolved settings, or the config file in use'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke config completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print each resolved setting and where it came from (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of the config file in use'

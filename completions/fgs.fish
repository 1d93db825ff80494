# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_fgs_global_optspecs
    string join \n color= q/quiet v/verbose profile= config= h/help V/version
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
complete -c fgs -n "__fish_fgs_needs_command" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_needs_command" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_needs_command" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_needs_command" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_needs_command" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "invoke" -d 'Invoke a function and show its result, log and summary (or many calls: --batch, --repeat)'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "list" -d 'List the project\'s functions: a table on a terminal, one URN a line in a pipe'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "info" -d 'Show one function\'s configuration, environment variable names, versions and aliases'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "status" -d 'Show the record of an asynchronous call (`invoke --async`), or wait for it to finish'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "pull" -d 'Write a deployed function to a directory that `invoke --local` and `serve` run: its code, function.toml, .env and saved test events'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "logs" -d 'Print a function\'s log from LTS: a window of time, one request\'s, or new lines as they come'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "login" -d 'Get an IAM token with a user name and password, and cache it for `invoke`'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "logout" -d 'Delete the cached login token of the selected profile'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "config" -d 'Show the resolved settings, or the config file in use'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "serve" -d 'Serve FunctionGraph\'s invocation API on this machine, for the functions in DIR...'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "event" -d 'Trigger event templates, API Gateway events, and a function\'s saved test events'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "man" -d 'Print the manual page, or a subcommand\'s (roff; `fgs man invoke | man -l -`)'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "completions" -d 'Print a shell completion script, which asks fgs at each Tab (functions, profiles, ...)'
complete -c fgs -n "__fish_fgs_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s d -l data -d 'Payload: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped, else {}]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l event -d 'Payload: the test event NAME saved on the function; with --local, DIR/events/NAME.json, else the function\'s saved event (when the cloud settings are there), else the template NAME' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l memory -d 'Memory for this call in MB (needs dynamic memory on the function)' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l wait-timeout -d 'Give up waiting after DURATION (`90s`, `2h`, or seconds) with exit 7; the call goes on [default: 72h, the longest an asynchronous call runs]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l batch -d 'Invoke once for each line of FILE (newline-delimited JSON; `-` for stdin)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l repeat -d 'Invoke N times with the same payload' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l concurrency -d 'Calls in flight at once for --batch and --repeat' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l progress -d 'Progress of --batch and --repeat on stderr [default: bar on a terminal, else plain]' -r -f -a "bar\t'A progress bar (the default on a terminal)'
plain\t'A line every 10 s once the run has lasted 10 s (the default elsewhere, for CI logs)'
none\t'Nothing until the summary'"
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l summary -d 'Also write the summary of --batch or --repeat to FILE, as JSON' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l retries -d 'Retry up to N times when the call never reached the function (no connection, or a 429/503 turning it away), with exponential backoff; never after a timeout, 401 or 403' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s o -l output -d 'How to print the result [default: pretty on a terminal, else raw]' -r -f -a "pretty\t'Indented and coloured JSON, JSON inside strings expanded'
raw\t'The result exactly as returned, with a final newline added if it lacks one'
json\t'One JSON document with the result, log, status and summary'"
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l local -d 'Run the function in DIR on this machine instead of calling the service (no account, no network)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l env -d 'Add or override one of the function\'s user variables (repeatable)' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l env-file -d 'Read user variables from a dotenv file (K=V lines, # comments)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l debug -d 'Wait for a debugger on 127.0.0.1:PORT (Python under debugpy, Node.js with --inspect-brk, Java with JDWP, Go under Delve); the timeout is suspended [default port: any free one]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l qualifier -d 'This version of the function (the URN\'s last field)' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l alias -d 'This alias of the function, sent as !NAME (no need to type the `!`)' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l ignore-stdin -d 'Never read stdin for the payload (send {} without --data): for loops that feed fgs\'s stdin something else'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l no-log -d 'Do not ask for the function\'s log'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l async -d 'Invoke asynchronously: print the request id of the accepted call (payload up to 256 KB)'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l wait -d 'With --async: wait until the call has finished (polling its record), and exit as it did: SUCCESS 0, FAIL or DISCARD 1'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l dry-run -d 'Print the request that would be sent, and send nothing'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l no-fail -d 'Exit 0 even when the function reports an error'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand invoke" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand list" -l package -d 'Only the functions of this package (sent as package_name)' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -s o -l output -d 'How to print [default: table on a terminal, else urn]' -r -f -a "table\t'Aligned columns cut to the terminal\'s width, for people'
urn\t'One URN a line (with --versions, each version\'s and alias\'s too), for pipes'
json\t'One JSON document a function (NDJSON), as the service sent it, environment values masked'"
complete -c fgs -n "__fish_fgs_using_subcommand list" -l retries -d 'Retry each request up to N times when it never got an answer, or a 429/503' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand list" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand list" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand list" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand list" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand list" -l versions -d 'Also each function\'s versions and aliases, with the aliases\' weights (two more requests a function)'
complete -c fgs -n "__fish_fgs_using_subcommand list" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand list" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand list" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand list" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand info" -l qualifier -d 'This version of the function (the URN\'s last field)' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l alias -d 'This alias of the function, sent as !NAME (no need to type the `!`)' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -s o -l output -d '`json`: the service\'s document, environment values masked, with `versions` and `aliases` added' -r -f -a "text\t'Aligned rows for people'
json\t'One JSON document'"
complete -c fgs -n "__fish_fgs_using_subcommand info" -l retries -d 'Retry each request up to N times when it never got an answer, or a 429/503' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand info" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand info" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand info" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand info" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand info" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand info" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand info" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand info" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand info" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand info" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand status" -l qualifier -d 'This version of the function (the URN\'s last field)' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l alias -d 'This alias of the function, sent as !NAME (no need to type the `!`)' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l wait-timeout -d 'Give up waiting after DURATION (`90s`, `2h`, or seconds) with exit 7 [default: 72h, the longest an asynchronous call runs]' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l since -d 'How far back to search for the call (`30m`, `3d`, or seconds) [default: 72h]' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l retries -d 'Retry each lookup up to N times when it never reached the service [default: 3]' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -s o -l output -d '`json`: the record as the service sent it' -r -f -a "text\t'Aligned rows for people'
json\t'One JSON document'"
complete -c fgs -n "__fish_fgs_using_subcommand status" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand status" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand status" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand status" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand status" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand status" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand status" -l wait -d 'Wait until the call has finished, and exit as it did: SUCCESS 0, FAIL or DISCARD 1'
complete -c fgs -n "__fish_fgs_using_subcommand status" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand status" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand status" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand status" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l qualifier -d 'This version of the function (the URN\'s last field)' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l alias -d 'This alias of the function, sent as !NAME (no need to type the `!`)' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -s o -l output -d '`json`: one document saying what was written, and what was not' -r -f -a "text\t'Aligned rows for people'
json\t'One JSON document'"
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l retries -d 'Retry each request up to N times when it never got an answer, or a 429/503' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l force -d 'Write into DIR even when it is not empty (files of the same name are replaced)'
complete -c fgs -n "__fish_fgs_using_subcommand pull" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand pull" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand pull" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand pull" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand pull" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l since -d 'From this long ago (`10m`, `2h`, `3d`) or this time in UTC (`2024-05-01T10:00:00Z`) [default: 10m]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l until -d 'Up to this long ago or this time [default: now]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l limit -d 'At most N lines, the oldest first' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l request-id -d 'Only the lines of this request (sent to LTS as a keyword)' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l interval -d 'How often --follow asks LTS (`6s`, or seconds); LTS allows 10 reads a minute of one stream [default: 6s]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l qualifier -d 'This version of the function (the URN\'s last field)' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l alias -d 'This alias of the function, sent as !NAME (no need to type the `!`)' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -s o -l output -d '`json`: one JSON document a line (NDJSON), as LTS sent it' -r -f -a "text\t'Each line\'s text (control characters escaped on a terminal)'
json\t'One JSON document a line (NDJSON): content, line_num and labels as LTS sent them'"
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l retries -d 'Retry each request up to N times when it never got an answer, or a 429/503' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l lts-endpoint -d 'LTS endpoint [default: https://lts.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand logs" -s f -l follow -d 'Keep printing new lines as they arrive, until Ctrl-C'
complete -c fgs -n "__fish_fgs_using_subcommand logs" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand logs" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand logs" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand logs" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand login" -l user -d 'IAM user name' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l domain -d 'Account (domain) name the IAM user belongs to' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l iam-endpoint -d 'IAM endpoint [default: https://iam.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l project-id -d 'Project id the token is scoped to [default: the region\'s project]' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l region -d 'Region, e.g. cn-north-4: where to log in (the IAM endpoint), and the token\'s scope' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand login" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l timeout -d 'How long to wait for IAM\'s answer (`30s`, or seconds), at most 60 s [default: 60]' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand login" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand login" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand login" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand login" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand login" -l password-stdin -d 'Read the password from stdin instead of prompting'
complete -c fgs -n "__fish_fgs_using_subcommand login" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand login" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand login" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand login" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand login" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand logout" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand logout" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand logout" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand logout" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -f -a "show" -d 'Print each resolved setting and where it came from (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -f -a "init" -d 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -f -a "path" -d 'Print the path of the config file in use'
complete -c fgs -n "__fish_fgs_using_subcommand config; and not __fish_seen_subcommand_from show init path help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -s o -l output -d '`json`: one document with each setting\'s value and source (secrets masked)' -r -f -a "text\t'Aligned rows for people'
json\t'One JSON document'"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -l region -d 'The region to write, e.g. cn-north-4' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -l project-id -d 'The project id to write' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -l auth -d 'The authentication method to write' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -l force -d 'Replace an existing file'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from path" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print each resolved setting and where it came from (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "path" -d 'Print the path of the config file in use'
complete -c fgs -n "__fish_fgs_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l listen -d 'The address to listen on (port 0: any free port)' -r
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l instances -d 'Warm instances per function, each running one call at a time [default: the number of CPUs]' -r
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l queue -d 'Calls that may wait per function when every instance is busy; one more gets 429' -r
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l env -d 'Add or override one of the function\'s user variables (repeatable)' -r
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l env-file -d 'Read user variables from a dotenv file (K=V lines, # comments)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l debug -d 'Wait for a debugger on 127.0.0.1:PORT (Python under debugpy, Node.js with --inspect-brk, Java with JDWP, Go under Delve); the timeout is suspended [default port: any free one]' -r
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l all -d 'Serve every subdirectory of each DIR'
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l allow-remote -d 'Allow an address other machines can reach (fgs serve runs code for whoever can)'
complete -c fgs -n "__fish_fgs_using_subcommand serve" -l verify-aksk -d 'Require a valid SDK-HMAC-SHA256 signature by the key pair in HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK on every request, else the gateway\'s 401 (APIG.0301)'
complete -c fgs -n "__fish_fgs_using_subcommand serve" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand serve" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand serve" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand serve" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -f -a "list" -d 'List the trigger event templates, or with FUNCTION the function\'s saved test events'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -f -a "show" -d 'Print one template, ready for `fgs invoke -d @-`'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -f -a "apig" -d 'Build the event API Gateway sends for an HTTP request (body base64-encoded)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -f -a "get" -d 'Print one of a function\'s saved test events: its JSON, exactly as saved'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -f -a "save" -d 'Save a test event on a function: create it, or replace the content of the one so named'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -f -a "delete" -d 'Delete one of a function\'s saved test events'
complete -c fgs -n "__fish_fgs_using_subcommand event; and not __fish_seen_subcommand_from list show apig get save delete help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -s o -l output -d 'How to print the saved events [default: table on a terminal, else name]' -r -f -a "table\t'Each event\'s name and when it was last modified (UTC), for people'
name\t'One name a line, for pipes'
json\t'One JSON document an event (NDJSON), as the service sent it'"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l retries -d 'Retry each request up to N times when it never got an answer, or a 429/503' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from show" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from show" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from show" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -l method -d 'The HTTP method' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -l path -d 'The request path' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -l query -d 'A query parameter (repeatable)' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -l header -d 'A request header (repeatable)' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -l body -d 'The body: the text itself, @PATH for a file, @- for stdin' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from apig" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -s o -l output -d '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)' -r -f -a "text\t'Aligned rows for people'
json\t'One JSON document'"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l retries -d 'Retry each request up to N times when it never got an answer, or a 429/503' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from get" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -s d -l data -d 'The event: inline JSON, @PATH for a file, @- for stdin [default: stdin when piped]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -s o -l output -d '`json`: one document, `{id, name, created}`' -r -f -a "text\t'Aligned rows for people'
json\t'One JSON document'"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l retries -d 'Retry each request up to N times when it never got an answer, or a 429/503' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from save" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -s o -l output -d '`json`: one document, the event as the service sent it (with `get`, its content decoded as `decoded`)' -r -f -a "text\t'Aligned rows for people'
json\t'One JSON document'"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l retries -d 'Retry each request up to N times when it never got an answer, or a 429/503' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l project-id -d 'Project id (letters and digits); taken from a full URN when not given' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l token -d 'IAM token, sent as X-Auth-Token' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l region -d 'Region, e.g. cn-north-4; taken from a full URN when not given' -r -f -a "cn-north-4\t''
cn-north-1\t''
cn-east-2\t''
cn-east-3\t''
cn-south-1\t''
ap-southeast-2\t''
ap-southeast-1\t''
ap-southeast-3\t''
af-south-1\t''
cn-southwest-2\t''
sa-brazil-1\t''
la-south-2\t''
na-mexico-1\t''
la-north-2\t''
ap-southeast-4\t''
eu-west-101\t''
tr-west-1\t''
cn-north-9\t''
cn-north-11\t''
me-east-1\t''
my-kualalumpur-1\t''
cn-south-4\t''
ru-moscow-1\t''
cn-east-4\t''
ae-ad-1\t''
ap-southeast-5\t''
cn-southwest-3\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l endpoint -d 'Service endpoint [default: https://functiongraph.{region}.myhuaweicloud.com]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l timeout -d 'How long to wait for the answer (`90s`, `2m`, or seconds) [default: 930, the service\'s 900 s limit plus a margin]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l connect-timeout -d 'How long to wait for a connection (`5s`, or seconds) [default: 10]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l auth -d 'Force an authentication method instead of the first one found' -r -f -a "token\t'An IAM token: --token, FGS_TOKEN, token, token_file, token_command, or `fgs login`'
aksk\t'An access key pair that signs each request (SDK-HMAC-SHA256)'
metadata\t'Temporary keys from the ECS instance metadata service (metadata_endpoint), fetched again before they expire; on a Huawei Cloud ECS or CCE node with an agency'"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l metadata-endpoint -d 'Where --auth metadata asks for temporary keys [default: http://169.254.169.254]' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l ca-cert -d 'A PEM file with an extra CA certificate to trust (private clouds)' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -l allow-http -d 'Allow credentials over plain http to a host that is not loopback (a mock service on a CI network, say); a warning is printed each time'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the trigger event templates, or with FUNCTION the function\'s saved test events'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "show" -d 'Print one template, ready for `fgs invoke -d @-`'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "apig" -d 'Build the event API Gateway sends for an HTTP request (body base64-encoded)'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "get" -d 'Print one of a function\'s saved test events: its JSON, exactly as saved'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "save" -d 'Save a test event on a function: create it, or replace the content of the one so named'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete one of a function\'s saved test events'
complete -c fgs -n "__fish_fgs_using_subcommand event; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand man" -l out-dir -d 'Write fgs.1 and every subcommand\'s page (fgs-invoke.1, ...) into DIR instead' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand man" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand man" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand man" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand man" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand man" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand man" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand man" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand completions" -l color -d 'When to colour output: auto (when the stream is a terminal and NO_COLOR is unset), always, or never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c fgs -n "__fish_fgs_using_subcommand completions" -l profile -d 'Profile of the config file to use ([profiles.NAME])' -r
complete -c fgs -n "__fish_fgs_using_subcommand completions" -l config -d 'Config file [default: $XDG_CONFIG_HOME/fgs/config.toml or ~/.config/fgs/config.toml]' -r -F
complete -c fgs -n "__fish_fgs_using_subcommand completions" -s q -l quiet -d 'Print nothing on stderr but errors'
complete -c fgs -n "__fish_fgs_using_subcommand completions" -s v -l verbose -d 'Show the requests and answers on stderr (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand completions" -s h -l help -d 'Print help'
complete -c fgs -n "__fish_fgs_using_subcommand completions" -s V -l version -d 'Print version'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "invoke" -d 'Invoke a function and show its result, log and summary (or many calls: --batch, --repeat)'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "list" -d 'List the project\'s functions: a table on a terminal, one URN a line in a pipe'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "info" -d 'Show one function\'s configuration, environment variable names, versions and aliases'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "status" -d 'Show the record of an asynchronous call (`invoke --async`), or wait for it to finish'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "pull" -d 'Write a deployed function to a directory that `invoke --local` and `serve` run: its code, function.toml, .env and saved test events'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "logs" -d 'Print a function\'s log from LTS: a window of time, one request\'s, or new lines as they come'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "login" -d 'Get an IAM token with a user name and password, and cache it for `invoke`'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "logout" -d 'Delete the cached login token of the selected profile'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "config" -d 'Show the resolved settings, or the config file in use'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "serve" -d 'Serve FunctionGraph\'s invocation API on this machine, for the functions in DIR...'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "event" -d 'Trigger event templates, API Gateway events, and a function\'s saved test events'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "man" -d 'Print the manual page, or a subcommand\'s (roff; `fgs man invoke | man -l -`)'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "completions" -d 'Print a shell completion script, which asks fgs at each Tab (functions, profiles, ...)'
complete -c fgs -n "__fish_fgs_using_subcommand help; and not __fish_seen_subcommand_from invoke list info status pull logs login logout config serve event man completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "show" -d 'Print each resolved setting and where it came from (secrets masked)'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "init" -d 'Write a config file (mode 0600) from flags, or by asking on a terminal; never a secret'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "path" -d 'Print the path of the config file in use'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "list" -d 'List the trigger event templates, or with FUNCTION the function\'s saved test events'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "show" -d 'Print one template, ready for `fgs invoke -d @-`'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "apig" -d 'Build the event API Gateway sends for an HTTP request (body base64-encoded)'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "get" -d 'Print one of a function\'s saved test events: its JSON, exactly as saved'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "save" -d 'Save a test event on a function: create it, or replace the content of the one so named'
complete -c fgs -n "__fish_fgs_using_subcommand help; and __fish_seen_subcommand_from event" -f -a "delete" -d 'Delete one of a function\'s saved test events'

# Each Tab asks fgs (COMPLETE=fish fgs): the project's functions, profiles,
# versions, aliases and event templates too. It takes the static completion's place.
complete -c fgs -e
complete --keep-order --exclusive --command fgs --arguments "(COMPLETE=fish fgs -- (commandline --current-process --tokenize --cut-at-cursor) (commandline --current-token))"

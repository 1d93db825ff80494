// fgs's Java worker: loads RUNTIME_HANDLER (package.Class.method) once, then runs one call
// per control message. Compiled once by fgs with the user's javac (Java 8 source, so that
// any JDK runs it) and cached; it needs nothing but the JDK, and finds Gson on the
// function's classpath by reflection.
//
// Protocol (see src/local/runtime/shim.rs): fgs writes to fd 3, this worker answers on fd 4
// (on Windows: a loopback socket, FGS_CONTROL="127.0.0.1:PORT/SECRET", the secret sent
// first); fd 1 and 2 are the log. Each message is one JSON line, followed by "len" raw
// bytes. The worker exits when the channel closes: fgs is gone, or done with it.
//   fgs -> worker: {"op": "init"|"invoke", "id", "deadline" (epoch ms), "version", "alias",
//                   "ak", "sk", "st", "token", "marker", "len"} + the event
//   worker -> fgs: first {"hello": true, "version", "setup"?, "load_error"?}, then per
//                   message {"ok", "code", "len"} + the result; before each answer to
//                   "invoke" the marker is written to fd 1, after the call's output.
package fgs.launcher;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

public final class Launcher {
    static final Map<String, String> ENV = System.getenv();
    static final String FUNC_NAME = env("RUNTIME_FUNC_NAME", "");
    static final String PACKAGE = env("RUNTIME_PACKAGE", "default");
    static final String PROJECT_ID = env("RUNTIME_PROJECT_ID", "");
    static final int TIMEOUT = number(env("RUNTIME_TIMEOUT", ""), 3);
    static final int MEMORY = number(env("RUNTIME_MEMORY", ""), 128);
    static final int CPU = number(env("RUNTIME_CPU", ""), 300);
    static final String INSTANCE_ID = UUID.randomUUID().toString();
    static final Map<String, Object> USERDATA = userdata();

    /** The answer codes of the service's runtime error table. */
    static final int ENTRY = 4001, INVOCATION = 4002, INVALID_RESULT = 4007, INITIALIZER = 4009,
            MEMORY_LIMIT = 4205;

    /** Why the handler cannot run at all: fgs reports it as a setup error. */
    static final class Setup extends Exception {
        Setup(String message) {
            super(message);
        }
    }

    /** A handler or initializer method, with the object it is called on. */
    static final class Entry {
        Method method;
        Object target;
    }

    static Gson gson;
    static Entry handler;
    static Entry initializer;
    static final Map<Class<?>, Object> TARGETS = new HashMap<Class<?>, Object>();

    public static void main(String[] args) throws Exception {
        InputStream controlIn;
        OutputStream controlOut;
        String spec = env("FGS_CONTROL", "");
        if (spec.isEmpty()) {
            controlIn = new FileInputStream("/dev/fd/3");
            controlOut = new FileOutputStream("/dev/fd/4");
        } else {
            int slash = spec.lastIndexOf('/');
            String address = spec.substring(0, slash);
            int colon = address.lastIndexOf(':');
            Socket socket = new Socket(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1)));
            socket.setTcpNoDelay(true);
            controlIn = socket.getInputStream();
            controlOut = socket.getOutputStream();
            controlOut.write((spec.substring(slash + 1) + "\n").getBytes(StandardCharsets.UTF_8));
            controlOut.flush();
        }
        Control in = new Control(controlIn);
        OutputStream out = new BufferedOutputStream(controlOut, 1 << 16);
        FileOutputStream fd1 = new FileOutputStream(FileDescriptor.out);

        Map<String, Object> hello = new LinkedHashMap<String, Object>();
        hello.put("hello", Boolean.TRUE);
        hello.put("version", System.getProperty("java.version", ""));
        String loadError = null;
        try {
            gson = Gson.find();
            handler = load(env("RUNTIME_HANDLER", ""), false);
            String init = env("RUNTIME_INITIALIZER_HANDLER", "");
            if (!init.isEmpty()) {
                initializer = load(init, true);
            }
            Type event = handler.method.getGenericParameterTypes()[0];
            if (event != String.class && gson == null) {
                throw new Setup("the handler's event type " + event.getTypeName()
                        + " is read from JSON with Gson, which is not on the classpath");
            }
            if (gson != null) {
                // Gson's adapters for the event and result types are built now, before the
                // first call, as they would be by a runtime that started ahead of it.
                gson.prepare(event);
                gson.prepare(handler.method.getGenericReturnType());
            }
        } catch (Setup e) {
            hello.put("setup", e.getMessage());
        } catch (Throwable e) {
            loadError = errorJson("function entry exception, error: ", e, false);
            hello.put("load_error", loadError);
        }
        send(out, (Json.write(hello) + "\n").getBytes(StandardCharsets.UTF_8), null);

        while (true) {
            String line = in.readLine();
            if (line == null) {
                // fgs closed the channel: exit now, whatever threads the function left.
                flushAll();
                Runtime.getRuntime().halt(0);
            }
            Map<String, Object> head = Json.readObject(line);
            int len = (int) Json.number(head.get("len"));
            byte[] body = new byte[len];
            in.readFully(body);
            String op = Json.string(head.get("op"));
            FgsContext context = new FgsContext(head);
            int code = 0;
            byte[] result;
            if (loadError != null) {
                code = ENTRY;
                result = loadError.getBytes(StandardCharsets.UTF_8);
            } else if (op.equals("init")) {
                result = new byte[0];
                try {
                    initializer.method.invoke(initializer.target, context);
                } catch (Throwable e) {
                    code = failed(e) ? MEMORY_LIMIT : INITIALIZER;
                    result = failure(e, "function initialization exception, error: ");
                }
            } else {
                byte[][] answer = new byte[1][];
                code = invoke(body, context, answer);
                result = answer[0];
            }
            flushAll();
            if (op.equals("invoke")) {
                fd1.write(Json.string(head.get("marker")).getBytes(StandardCharsets.UTF_8));
                fd1.flush();
            }
            String answer = "{\"ok\":" + (code == 0) + ",\"code\":" + code + ",\"len\":"
                    + result.length + "}\n";
            send(out, answer.getBytes(StandardCharsets.UTF_8), result);
        }
    }

    /** Run the handler: the answer code, and the result or error JSON in answer[0]. */
    static int invoke(byte[] body, FgsContext context, byte[][] answer) {
        Object event;
        try {
            event = decode(body);
        } catch (Throwable e) {
            answer[0] = errorJson("function invocation exception, error: ", e, false)
                    .getBytes(StandardCharsets.UTF_8);
            return INVOCATION;
        }
        Object value;
        try {
            value = handler.method.invoke(handler.target, event, context);
        } catch (Throwable e) {
            answer[0] = failure(e, "function invocation exception, error: ");
            return failed(e) ? MEMORY_LIMIT : INVOCATION;
        }
        try {
            answer[0] = encode(value);
            return 0;
        } catch (Throwable e) {
            Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
            Map<String, Object> error = new LinkedHashMap<String, Object>();
            error.put("errorMessage", "function result is invalid, error: " + cause);
            error.put("errorType", cause.getClass().getName());
            answer[0] = Json.pretty(error).getBytes(StandardCharsets.UTF_8);
            return INVALID_RESULT;
        }
    }

    /** Whether the handler or initializer ran out of memory (the heap is the memory limit). */
    static boolean failed(Throwable e) {
        Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
        return cause instanceof OutOfMemoryError;
    }

    /** The error JSON of a handler or initializer that threw. */
    static byte[] failure(Throwable e, String prefix) {
        if (failed(e)) {
            Map<String, Object> error = new LinkedHashMap<String, Object>();
            error.put("errorMessage", "runtime memory limit exceeded");
            error.put("errorType", "MemoryLimitExceeded");
            return Json.pretty(error).getBytes(StandardCharsets.UTF_8);
        }
        return errorJson(prefix, e, true).getBytes(StandardCharsets.UTF_8);
    }

    /** The event as the handler's parameter type: Gson-style, a String as it came. */
    static Object decode(byte[] body) throws Exception {
        String text = new String(body, StandardCharsets.UTF_8);
        Type type = handler.method.getGenericParameterTypes()[0];
        if (type == String.class) {
            // A JSON string is its value; anything else (an object, plain text) the text.
            String trimmed = text.trim();
            if (trimmed.startsWith("\"") && gson != null) {
                try {
                    return gson.fromJson(trimmed, String.class);
                } catch (Exception e) {
                    return text;
                }
            }
            return text;
        }
        if (text.trim().isEmpty()) {
            text = "{}";
        }
        return gson.fromJson(text, type);
    }

    /** The result as the service returns it: a String as is, null as nothing, else JSON. */
    static byte[] encode(Object value) throws Exception {
        if (value == null) {
            return new byte[0];
        }
        if (value instanceof String) {
            return ((String) value).getBytes(StandardCharsets.UTF_8);
        }
        if (gson == null) {
            if (value instanceof Number || value instanceof Boolean || value instanceof Character) {
                return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
            }
            throw new IllegalStateException("a " + value.getClass().getName()
                    + " is returned as JSON with Gson, which is not on the classpath");
        }
        return gson.toJson(value).getBytes(StandardCharsets.UTF_8);
    }

    /** The handler (or, with `init`, the initializer) named package.Class.method. */
    static Entry load(String spec, boolean init) throws Exception {
        String what = init ? "initializer" : "handler";
        int dot = spec.lastIndexOf('.');
        if (dot <= 0 || dot == spec.length() - 1) {
            throw new Setup(what + " " + spec + " is not of the form package.Class.method");
        }
        String className = spec.substring(0, dot);
        String name = spec.substring(dot + 1);
        Class<?> cls;
        try {
            cls = Class.forName(className, false, Launcher.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new Setup("class " + className + " (" + what + " " + spec
                    + ") is not on the classpath: " + System.getProperty("java.class.path"));
        }
        Method found = null;
        TreeSet<String> others = new TreeSet<String>();
        for (Method m : cls.getMethods()) {
            if (m.getDeclaringClass() == Object.class) {
                continue;
            }
            Class<?>[] params = m.getParameterTypes();
            int context = init ? 0 : 1;
            boolean fits = params.length == context + 1
                    && params[context].isAssignableFrom(FgsContext.class);
            if (m.getName().equals(name) && fits) {
                found = m;
                break;
            }
            others.add(signature(m));
        }
        if (found == null) {
            String wanted = init ? name + "(Context)" : name + "(EVENT, Context)";
            throw new Setup("class " + className + " has no public method " + wanted + " ("
                    + what + " " + spec + "); its public methods: "
                    + (others.isEmpty() ? "none" : String.join(", ", others)));
        }
        Entry entry = new Entry();
        entry.method = found;
        // Loads the class's static parts now, as the runtime does before the first call.
        Class.forName(className, true, Launcher.class.getClassLoader());
        if (!Modifier.isStatic(found.getModifiers())) {
            Object target = TARGETS.get(cls);
            if (target == null) {
                Constructor<?> constructor;
                try {
                    constructor = cls.getDeclaredConstructor();
                } catch (NoSuchMethodException e) {
                    throw new Setup("class " + className + " has no constructor without"
                            + " parameters, which the instance method " + name + " needs");
                }
                constructor.setAccessible(true);
                try {
                    target = constructor.newInstance();
                } catch (InvocationTargetException e) {
                    throw rethrow(e.getCause());
                }
                TARGETS.put(cls, target);
            }
            entry.target = target;
        }
        found.setAccessible(true);
        return entry;
    }

    static Exception rethrow(Throwable e) {
        if (e instanceof Error) {
            throw (Error) e;
        }
        return (Exception) e;
    }

    static String signature(Method m) {
        StringBuilder s = new StringBuilder(m.getName()).append('(');
        Class<?>[] params = m.getParameterTypes();
        for (int i = 0; i < params.length; i++) {
            s.append(i == 0 ? "" : ", ").append(params[i].getSimpleName());
        }
        return s.append(')').toString();
    }

    /**
     * The service's error shape: the message, the exception's class and its stack trace as
     * printed, from the handler's own exception ("Caused by: ...") on, one line each.
     */
    static String errorJson(String prefix, Throwable e, boolean called) {
        Throwable cause = e;
        if (e instanceof InvocationTargetException && e.getCause() != null) {
            cause = e.getCause();
        } else if (e instanceof ExceptionInInitializerError && e.getCause() != null) {
            cause = e.getCause();
        }
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        List<String> stack = new ArrayList<String>();
        boolean from = !called || cause == e;
        for (String line : trace.toString().split("\r?\n")) {
            if (!from && line.startsWith("Caused by: ")) {
                from = true;
            }
            if (from && !line.trim().isEmpty()) {
                stack.add(line.trim());
            }
        }
        Map<String, Object> error = new LinkedHashMap<String, Object>();
        error.put("errorMessage", prefix + cause.getMessage());
        error.put("errorType", cause.getClass().getName());
        error.put("stackTrace", stack);
        return Json.pretty(error);
    }

    static void flushAll() {
        System.out.flush();
        System.err.flush();
    }

    static void send(OutputStream out, byte[] head, byte[] body) throws IOException {
        out.write(head);
        if (body != null) {
            out.write(body);
        }
        out.flush();
    }

    static String env(String name, String otherwise) {
        String value = ENV.get(name);
        return value == null ? otherwise : value;
    }

    static int number(String text, int otherwise) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    static Map<String, Object> userdata() {
        try {
            return Json.readObject(env("RUNTIME_USERDATA", "{}"));
        } catch (RuntimeException e) {
            return new HashMap<String, Object>();
        }
    }
}

/** The control channel's reading end, buffered: lines and then raw bytes. */
final class Control {
    private final InputStream in;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int lim;

    Control(InputStream in) {
        this.in = in;
    }

    private boolean fill() throws IOException {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
        if (lim == buf.length) {
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, pos, bigger, 0, lim - pos);
            lim -= pos;
            pos = 0;
            buf = bigger;
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n < 0) {
            return false;
        }
        lim += n;
        return true;
    }

    /** One line without its newline; null at the end of the channel. */
    String readLine() throws IOException {
        int scanned = pos;
        while (true) {
            for (int i = scanned; i < lim; i++) {
                if (buf[i] == '\n') {
                    String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 1;
                    return line;
                }
            }
            int start = pos;
            scanned = lim;
            if (!fill()) {
                return null;
            }
            scanned -= start - pos; // fill may have moved the bytes to the front
        }
    }

    void readFully(byte[] into) throws IOException {
        int at = Math.min(into.length, lim - pos);
        System.arraycopy(buf, pos, into, 0, at);
        pos += at;
        while (at < into.length) {
            int n = in.read(into, at, into.length - at);
            if (n < 0) {
                throw new IOException("the control channel closed in a message");
            }
            at += n;
        }
    }
}

/** Gson, from the function's classpath, through reflection: fgs compiles against the JDK only. */
final class Gson {
    final Object gson;
    final Method fromJson;
    final Method toJson;

    private Gson(Class<?> cls, Object gson) throws Exception {
        this.gson = gson;
        fromJson = cls.getMethod("fromJson", String.class, Type.class);
        toJson = cls.getMethod("toJson", Object.class);
    }

    /**
     * Gson as the runtime's own seems to be set up (its error objects show '<' and '='
     * unescaped): no HTML escaping. Warmed up (its classes loaded); null when it is not on
     * the classpath.
     */
    static Gson find() throws Exception {
        Class<?> cls;
        Class<?> builder;
        ClassLoader loader = Gson.class.getClassLoader();
        try {
            cls = Class.forName("com.google.gson.Gson", true, loader);
            builder = Class.forName("com.google.gson.GsonBuilder", true, loader);
        } catch (ClassNotFoundException e) {
            return null;
        }
        Object b = builder.getConstructor().newInstance();
        b = builder.getMethod("disableHtmlEscaping").invoke(b);
        Gson found = new Gson(cls, builder.getMethod("create").invoke(b));
        found.toJson(found.fromJson("{\"a\":[1,\"b\"]}", Map.class));
        return found;
    }

    /** Build (and cache) Gson's adapter for `type`; no object is made. */
    void prepare(Type type) {
        if (type == void.class || type == String.class || type == Object.class) {
            return;
        }
        try {
            Class<?> token = Class.forName("com.google.gson.reflect.TypeToken", true,
                    Gson.class.getClassLoader());
            Object typeToken = token.getMethod("get", Type.class).invoke(null, type);
            gson.getClass().getMethod("getAdapter", token).invoke(gson, typeToken);
        } catch (Throwable e) {
            // The call itself will say what is wrong with the type.
        }
    }

    Object fromJson(String text, Type type) throws Exception {
        try {
            return fromJson.invoke(gson, text, type);
        } catch (InvocationTargetException e) {
            throw Launcher.rethrow(e.getCause());
        }
    }

    String toJson(Object value) throws Exception {
        try {
            return (String) toJson.invoke(gson, value);
        } catch (InvocationTargetException e) {
            throw Launcher.rethrow(e.getCause());
        }
    }
}

/** context.getLogger(): lines "<UTC time> <request id> <LEVEL> <message>" on stdout. */
final class FgsLogger implements com.huawei.services.runtime.RuntimeLogger,
        com.opentelekomcloud.services.runtime.RuntimeLogger {
    static final int MAX_LINE = 90 * 1024;
    /** Shared: setLevel lasts for the instance. */
    static volatile int level = 20;
    private final String requestId;

    FgsLogger(String requestId) {
        this.requestId = requestId;
    }

    static int levelOf(String name) {
        String upper = String.valueOf(name).trim().toUpperCase();
        if (upper.equals("DEBUG")) {
            return 10;
        }
        if (upper.equals("INFO")) {
            return 20;
        }
        if (upper.equals("WARN") || upper.equals("WARNING")) {
            return 30;
        }
        if (upper.equals("ERROR")) {
            return 40;
        }
        return -1;
    }

    private void write(String name, int value, String message) {
        if (value < level) {
            return;
        }
        String stamp = stamp(System.currentTimeMillis());
        String text = String.valueOf(message);
        StringBuilder out = new StringBuilder(text.length() + 64);
        int at = 0;
        do {
            int end = Math.min(text.length(), at + MAX_LINE);
            out.append(stamp).append(' ').append(requestId).append(' ').append(name).append(' ')
                    .append(text, at, end).append('\n');
            at = end;
        } while (at < text.length());
        synchronized (System.out) {
            System.out.print(out);
            System.out.flush();
        }
    }

    /**
     * `2024-01-01T00:00:00Z`, by arithmetic: the JDK's date formatters load locale data on
     * first use, tens of milliseconds the first logging call would be billed for.
     */
    static String stamp(long millis) {
        long seconds = Math.floorDiv(millis, 1000L);
        long days = Math.floorDiv(seconds, 86400L);
        long time = seconds - days * 86400L;
        // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097L);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder out = new StringBuilder(20);
        pad(out, year, 4).append('-');
        pad(out, month, 2).append('-');
        pad(out, day, 2).append('T');
        pad(out, time / 3600, 2).append(':');
        pad(out, time / 60 % 60, 2).append(':');
        return pad(out, time % 60, 2).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }

    public void log(String message) {
        write("INFO", 100, message);
    }

    public void debug(String message) {
        write("DEBUG", 10, message);
    }

    public void info(String message) {
        write("INFO", 20, message);
    }

    public void warn(String message) {
        write("WARN", 30, message);
    }

    public void error(String message) {
        write("ERROR", 40, message);
    }

    public void setLevel(String name) {
        int value = levelOf(name);
        if (value > 0) {
            level = value;
        }
    }
}

/** The context object: every method of both editions of the runtime's interface. */
final class FgsContext implements com.huawei.services.runtime.Context,
        com.opentelekomcloud.services.runtime.Context {
    /** setState/getState: kept for the instance's life. */
    static volatile Object state;
    private final Map<String, Object> head;
    private final FgsLogger logger;

    FgsContext(Map<String, Object> head) {
        this.head = head;
        this.logger = new FgsLogger(get("id"));
    }

    private String get(String key) {
        return Json.string(head.get(key));
    }

    public String getRequestID() {
        return get("id");
    }

    public int getRemainingTimeInMilliSeconds() {
        long left = (long) Json.number(head.get("deadline")) - System.currentTimeMillis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
    }

    public String getAccessKey() {
        return get("ak");
    }

    public String getSecretKey() {
        return get("sk");
    }

    public String getSecurityAccessKey() {
        return get("ak");
    }

    public String getSecuritySecretKey() {
        return get("sk");
    }

    public String getSecurityToken() {
        return get("st");
    }

    public String getToken() {
        return get("token");
    }

    public String getUserData(String key) {
        Object value = Launcher.USERDATA.get(key);
        return value == null ? null : String.valueOf(value);
    }

    public String getFunctionName() {
        return Launcher.FUNC_NAME;
    }

    public int getRunningTimeInSeconds() {
        return Launcher.TIMEOUT;
    }

    public String getVersion() {
        return get("version");
    }

    public int getMemorySize() {
        return Launcher.MEMORY;
    }

    public int getCPUNumber() {
        return Launcher.CPU;
    }

    public String getProjectID() {
        return Launcher.PROJECT_ID;
    }

    public String getPackage() {
        return Launcher.PACKAGE;
    }

    public FgsLogger getLogger() {
        return logger;
    }

    public String getAlias() {
        return get("alias");
    }

    public Object getState() {
        return state;
    }

    public void setState(Object value) {
        state = value;
    }

    public String getInstanceID() {
        return Launcher.INSTANCE_ID;
    }

    public String getInvokeProperty() {
        return "";
    }

    public String getTraceID() {
        return "";
    }

    public String getInvokeID() {
        return get("id");
    }

    public String getWorkflowID() {
        return "";
    }

    public String getWorkflowRunID() {
        return "";
    }

    public String getWorkflowStateID() {
        return "";
    }
}

/** Just the JSON the protocol needs: flat objects in, objects and lists of strings out. */
final class Json {
    static String string(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    static double number(Object value) {
        return value instanceof Double ? (Double) value : 0;
    }

    /** A flat object: string, number, boolean and null values. */
    static Map<String, Object> readObject(String text) {
        Map<String, Object> out = new HashMap<String, Object>();
        int[] at = {skip(text, 0)};
        expect(text, at, '{');
        if (peek(text, at) == '}') {
            return out;
        }
        while (true) {
            String key = readString(text, at);
            expect(text, at, ':');
            out.put(key, readValue(text, at));
            char c = peek(text, at);
            at[0]++;
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("bad JSON at " + at[0]);
            }
        }
    }

    private static int skip(String text, int at) {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static char peek(String text, int[] at) {
        at[0] = skip(text, at[0]);
        if (at[0] >= text.length()) {
            throw new IllegalArgumentException("JSON ends early");
        }
        return text.charAt(at[0]);
    }

    private static void expect(String text, int[] at, char c) {
        if (peek(text, at) != c) {
            throw new IllegalArgumentException("bad JSON at " + at[0]);
        }
        at[0]++;
    }

    private static Object readValue(String text, int[] at) {
        char c = peek(text, at);
        if (c == '"') {
            return readString(text, at);
        }
        int start = at[0];
        while (at[0] < text.length() && ",}] \t\r\n".indexOf(text.charAt(at[0])) < 0) {
            at[0]++;
        }
        String word = text.substring(start, at[0]);
        if (word.equals("true") || word.equals("false")) {
            return Boolean.valueOf(word);
        }
        if (word.equals("null")) {
            return null;
        }
        return Double.valueOf(word);
    }

    private static String readString(String text, int[] at) {
        expect(text, at, '"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(at[0]++);
            if (c == '"') {
                return out.toString();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(at[0]++);
            switch (e) {
                case 'n': out.append('\n'); break;
                case 't': out.append('\t'); break;
                case 'r': out.append('\r'); break;
                case 'b': out.append('\b'); break;
                case 'f': out.append('\f'); break;
                case 'u':
                    out.append((char) Integer.parseInt(text.substring(at[0], at[0] + 4), 16));
                    at[0] += 4;
                    break;
                default: out.append(e);
            }
        }
    }

    /** One line. */
    static String write(Map<String, Object> object) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : object.entrySet()) {
            out.append(first ? "" : ",");
            first = false;
            quote(out, e.getKey()).append(':');
            Object value = e.getValue();
            if (value instanceof Boolean) {
                out.append(value);
            } else {
                quote(out, String.valueOf(value));
            }
        }
        return out.append('}').toString();
    }

    /** Pretty, two spaces, as the runtime prints its error objects. */
    static String pretty(Map<String, Object> object) {
        StringBuilder out = new StringBuilder("{\n");
        boolean first = true;
        for (Map.Entry<String, Object> e : object.entrySet()) {
            out.append(first ? "" : ",\n").append("  ");
            first = false;
            quote(out, e.getKey()).append(": ");
            Object value = e.getValue();
            if (value instanceof List) {
                List<?> list = (List<?>) value;
                if (list.isEmpty()) {
                    out.append("[]");
                    continue;
                }
                out.append("[\n");
                for (int i = 0; i < list.size(); i++) {
                    out.append(i == 0 ? "" : ",\n").append("    ");
                    quote(out, String.valueOf(list.get(i)));
                }
                out.append("\n  ]");
            } else {
                quote(out, String.valueOf(value));
            }
        }
        return out.append("\n}").toString();
    }

    static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        String hex = Integer.toHexString(c);
                        out.append("\\u0000", 0, 6 - hex.length()).append(hex);
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"');
    }
}

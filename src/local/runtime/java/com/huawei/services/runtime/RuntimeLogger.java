// fgs's copy of the logger interface of Huawei's Java runtime. Implemented by fgs.launcher.
package com.huawei.services.runtime;

public interface RuntimeLogger {
    /** Logged whatever the level, as an INFO line. */
    void log(String message);

    void debug(String message);

    void info(String message);

    void warn(String message);

    void error(String message);

    /** DEBUG, INFO, WARN or ERROR; lasts for the instance. */
    void setLevel(String level);
}

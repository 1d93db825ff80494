// fgs's copy of the logger interface of the OTC edition of the Java runtime.
package com.opentelekomcloud.services.runtime;

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

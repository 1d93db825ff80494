// fgs's copy of the context interface of Huawei's Java runtime (handlers compiled against
// Huawei's Runtime jar): every method either the Huawei or the OTC edition declares, so
// that a handler built against either finds what it calls. Implemented by fgs.launcher.
package com.huawei.services.runtime;

public interface Context {
    String getRequestID();

    int getRemainingTimeInMilliSeconds();

    String getAccessKey();

    String getSecretKey();

    String getSecurityAccessKey();

    String getSecuritySecretKey();

    String getSecurityToken();

    String getToken();

    String getUserData(String key);

    String getFunctionName();

    int getRunningTimeInSeconds();

    String getVersion();

    int getMemorySize();

    int getCPUNumber();

    String getProjectID();

    String getPackage();

    RuntimeLogger getLogger();

    String getAlias();

    Object getState();

    void setState(Object state);

    String getInstanceID();

    String getInvokeProperty();

    String getTraceID();

    String getInvokeID();

    String getWorkflowID();

    String getWorkflowRunID();

    String getWorkflowStateID();
}

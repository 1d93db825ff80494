// fgs's copy of the context interface of the OTC edition of the Java runtime
// (com.opentelekomcloud.services.runtime, opentelekomcloud-functiongraph-java-core), with the
// same methods as the Huawei one beside it. Implemented by fgs.launcher.
package com.opentelekomcloud.services.runtime;

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

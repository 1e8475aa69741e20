package io.keygate.server.api.data;

/** The response of the three GetWorkloadAccessToken operations. */
record WorkloadAccessTokenOutput(String workloadAccessToken) {
    @Override
    public String toString() {
        return "WorkloadAccessTokenOutput[redacted]";
    }
}

#!/usr/bin/env python3
"""Checks the sample's manifests without a cluster (docs/kubernetes.md, "Checking the manifests").

    python3 samples/leader-scheduler/k8s/check-manifests.py

Parses every file kustomization.yaml lists (PyYAML) and checks what the docs promise of them:
the "restricted" Pod Security Standard on the StatefulSet's pod and every container, a memory
limit that covers the measured resident size at the configured heap, the Raft secret from a
Secret, the NetworkPolicy's selectors and ports against the pods', and the Services' target
ports. It is no substitute for `kubectl apply --dry-run=server` on a real cluster: it does not
know the API's schemas. Exits 1 with one line per broken rule.
"""
import pathlib
import re
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
# Resident size of the sample at -Xmx256m, measured (docs/kubernetes.md, "Memory"), and the
# headroom the limit must leave above it for a JVM's growth (more threads, more direct buffers).
MEASURED_RSS_MIB = 390
MIN_HEADROOM_MIB = 64
UNITS = {"Ki": 1 / 1024, "Mi": 1, "Gi": 1024}

problems = []


def problem(text):
    problems.append(text)


def mib(quantity):
    m = re.fullmatch(r"(\d+)(Ki|Mi|Gi)", str(quantity))
    if not m:
        problem(f"memory quantity {quantity!r} is not in Ki, Mi or Gi")
        return 0
    return int(m.group(1)) * UNITS[m.group(2)]


def load():
    kustomization = yaml.safe_load((HERE / "kustomization.yaml").read_text())
    docs = []
    for name in kustomization["resources"]:
        path = HERE / name
        if not path.exists():
            problem(f"kustomization.yaml lists {name}, which does not exist")
            continue
        docs += [(name, d) for d in yaml.safe_load_all(path.read_text()) if d]
    listed = set(kustomization["resources"])
    for path in HERE.glob("*.yaml"):
        if path.name != "kustomization.yaml" and path.name not in listed:
            problem(f"{path.name} is not listed in kustomization.yaml")
    return docs


def check_restricted(pod_spec, where):
    """The 'restricted' Pod Security Standard (kubernetes.io/docs/concepts/security/pod-security-standards)."""
    pod_sc = pod_spec.get("securityContext") or {}
    if pod_spec.get("hostNetwork") or pod_spec.get("hostPID") or pod_spec.get("hostIPC"):
        problem(f"{where}: host namespaces are not allowed")
    for volume in pod_spec.get("volumes") or []:
        allowed = {"name", "configMap", "secret", "emptyDir", "persistentVolumeClaim", "projected",
                   "downwardAPI", "csi", "ephemeral"}
        if set(volume) - allowed:
            problem(f"{where}: volume {volume.get('name')} has a type restricted does not allow")
    for c in (pod_spec.get("initContainers") or []) + pod_spec["containers"]:
        sc = c.get("securityContext") or {}
        name = f"{where}, container {c['name']}"
        non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
        if non_root is not True:
            problem(f"{name}: runAsNonRoot must be true (pod or container)")
        uid = sc.get("runAsUser", pod_sc.get("runAsUser"))
        if uid is None or uid == 0:
            problem(f"{name}: runAsUser must be set and not 0 (pod or container)")
        if sc.get("allowPrivilegeEscalation") is not False:
            problem(f"{name}: allowPrivilegeEscalation must be false")
        if sc.get("privileged"):
            problem(f"{name}: privileged is not allowed")
        caps = sc.get("capabilities") or {}
        if "ALL" not in (caps.get("drop") or []):
            problem(f"{name}: capabilities must drop ALL")
        if set(caps.get("add") or []) - {"NET_BIND_SERVICE"}:
            problem(f"{name}: only NET_BIND_SERVICE may be added")
        seccomp = (sc.get("seccompProfile") or pod_sc.get("seccompProfile") or {}).get("type")
        if seccomp not in ("RuntimeDefault", "Localhost"):
            problem(f"{name}: seccompProfile must be RuntimeDefault or Localhost (pod or container)")
        for p in c.get("ports") or []:
            if p.get("hostPort"):
                problem(f"{name}: hostPort is not allowed")


def check_memory(container, where):
    limit = ((container.get("resources") or {}).get("limits") or {}).get("memory")
    if limit is None:
        problem(f"{where}: no memory limit")
        return
    options = " ".join(e.get("value", "") for e in container.get("env") or [] if e["name"] == "JAVA_TOOL_OPTIONS")
    xmx = re.search(r"-Xmx(\d+)m", options)
    if not xmx:
        problem(f"{where}: JAVA_TOOL_OPTIONS sets no -Xmx<N>m; the limit was sized for a fixed heap")
        return
    # The measurement was at -Xmx256m; a larger heap grows the resident size by as much.
    expected_rss = MEASURED_RSS_MIB + int(xmx.group(1)) - 256
    if mib(limit) < expected_rss + MIN_HEADROOM_MIB:
        problem(f"{where}: memory limit {limit} leaves under {MIN_HEADROOM_MIB} MiB above the ~{expected_rss} MiB"
                f" resident size expected at -Xmx{xmx.group(1)}m")


def main():
    docs = load()
    by_kind = {}
    for name, d in docs:
        by_kind.setdefault(d["kind"], []).append((name, d))
    (sts_file, sts), = by_kind["StatefulSet"]
    pod = sts["spec"]["template"]
    labels = pod["metadata"]["labels"]
    if sts["spec"]["selector"]["matchLabels"].items() - labels.items():
        problem(f"{sts_file}: the selector does not match the pod template's labels")
    check_restricted(pod["spec"], sts_file)
    app = pod["spec"]["containers"][0]
    check_memory(app, f"{sts_file}, container {app['name']}")
    ports = {p["name"]: p["containerPort"] for c in pod["spec"]["containers"] for p in c.get("ports") or []}
    env = {e["name"]: e for e in app.get("env") or []}
    secret_ref = (env.get("RAFT_AUTH_SECRET", {}).get("valueFrom") or {}).get("secretKeyRef")
    if not secret_ref:
        problem(f"{sts_file}: RAFT_AUTH_SECRET must come from a Secret (valueFrom.secretKeyRef)")
    elif secret_ref.get("optional"):
        problem(f"{sts_file}: the Raft secret must not be optional (pods would run Raft unauthenticated)")
    if "value" in env.get("RAFT_AUTH_SECRET", {}):
        problem(f"{sts_file}: RAFT_AUTH_SECRET has a literal value in the manifest")

    for name, svc in by_kind.get("Service", []):
        for p in svc["spec"]["ports"]:
            target = p.get("targetPort", p["port"])
            if isinstance(target, str) and target not in ports:
                problem(f"{name}: Service {svc['metadata']['name']} targets port {target!r}, which no container names")

    policies = by_kind.get("NetworkPolicy", [])
    if not policies:
        problem("no NetworkPolicy")
    for name, np in policies:
        spec = np["spec"]
        if spec["podSelector"].get("matchLabels", {}).items() - labels.items():
            problem(f"{name}: podSelector does not select the StatefulSet's pods")
        if "Ingress" not in spec.get("policyTypes", []):
            problem(f"{name}: policyTypes lacks Ingress")
        raft_port, raft_sources = ports.get("grpc-raft"), []
        for rule in spec.get("ingress") or []:
            rule_ports = [p.get("port") for p in rule.get("ports") or []]
            for p in rule_ports:
                if isinstance(p, str) and p not in ports:
                    problem(f"{name}: port {p!r} is not a container port name")
            if not rule_ports or "grpc-raft" in rule_ports or raft_port in rule_ports:
                raft_sources += rule.get("from") or [{}]
        for source in raft_sources:
            selector = (source.get("podSelector") or {}).get("matchLabels") or {}
            if set(source) != {"podSelector"} or not selector or selector.items() - labels.items():
                problem(f"{name}: the Raft port is open to {source or 'everyone'}, not only to the StatefulSet's pods")
        if not raft_sources:
            problem(f"{name}: no rule lets the pods reach each other's Raft port")

    for p in problems:
        print("k8s check: " + p)
    if problems:
        sys.exit(1)
    print(f"k8s check: {len(docs)} objects in {HERE.name}/ parse and pass")


if __name__ == "__main__":
    main()

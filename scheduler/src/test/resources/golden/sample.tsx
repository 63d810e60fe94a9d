import React from "react";

interface Props {
  name: string;
}

// Greets someone.
export function Greeting({ name }: Props) {
  return <h1>Hello {name}</h1>;
}

export const Farewell = ({ name }: Props) => <p>Bye {name}</p>;

class Counter extends React.Component<Props> {
  render() {
    return <div>{this.props.name}</div>;
  }
}
